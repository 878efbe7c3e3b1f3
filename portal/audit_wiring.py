"""Where the audit tweens sit: one inside the transaction, one outside."""
from pyramid.tweens import EXCVIEW


def includeme(config):
    config.add_tween("portal.audit.audit_tween_factory", over=EXCVIEW,
                     under="pyramid_tm.tm_tween_factory")
    config.add_tween("portal.audit.denied_tween_factory", over="pyramid_tm.tm_tween_factory")
