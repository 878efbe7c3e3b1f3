"""The rows of a chart's data table: the numbers the chart is drawn from (static/js/charts.js).

The fund dashboards and the zone-plan dashboard share them.

A chart never carries its own data: ``charts.js`` reads the ``data-value`` attributes of
the table beside it, so the picture and the table can never disagree.
"""
from pyramid.renderers import get_renderer

from content_types.values import euro

MACROS = "portal:templates/chart_macros.pt"


def macros():
    """The chart macros (``chart_macros.chart``): a figure with a canvas and its table."""
    return get_renderer(MACROS).implementation().macros


def column(key, label, series=False):
    """A numeric column; ``series`` ones are drawn, the others only shown in the table."""
    return {"key": key, "label": label, "series": series}


def money_cell(value):
    """The dot-decimal value ``charts.js`` draws and the Italian text people read."""
    return {"value": f"{value:.2f}", "text": euro(value)}


def row(label, values, url=None):
    """A table row: its header (``label``, a link when ``url``) and one money cell per value."""
    return {"label": label, "url": url, "cells": [money_cell(v) for v in values]}


def chart(chart_id, title, caption, head, columns, rows, total=None):
    """What ``chart_macros.chart`` renders; ``total`` is a row kept out of the chart (tfoot)."""
    return {"id": chart_id, "title": title, "caption": caption, "head": head,
            "columns": list(columns), "rows": list(rows), "total": total}
