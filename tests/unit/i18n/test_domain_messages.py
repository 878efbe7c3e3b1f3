"""Every message an error of ours carries is a gettext msgid (``_()`` with ``mapping``), none plain text.

An ``ast`` walk over the four packages finds each call of an ``ErrorBase`` subclass (resolved
through the module's own imports, so Pyramid's ``ConfigurationError`` is not mistaken for
catalog's) and refuses a message written as a string literal, an f-string, a ``%``/``+``
expression or a ``.format``/``.join`` of text: those never reach ``portal/locale``.
"""
import ast
import importlib
import inspect
import pathlib
import pickle
import pkgutil

import pytest
from translationstring import TranslationString

from content_types.errors import ErrorBase
from content_types.i18n import _, interpolated, joined, translated
from workflows.errors import UnknownTransition

PACKAGES = ("content_types", "workflows", "catalog", "portal")


def modules():
    for package in PACKAGES:
        root = importlib.import_module(package)
        yield root
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            yield importlib.import_module(info.name)


MODULES = list(modules())


def plain_text(node):
    """True when ``node`` builds text without a msgid (what gettext cannot see)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return plain_text(node.left) or plain_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("format", "join") and plain_text(node.func.value)
    if isinstance(node, ast.IfExp):
        return plain_text(node.body) or plain_text(node.orelse)
    return False


def called_class(module, func):
    """The object a call's ``func`` names in ``module`` (``Name`` or ``module.Name``), or None."""
    if isinstance(func, ast.Name):
        return getattr(module, func.id, None)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return getattr(getattr(module, func.value.id, None), func.attr, None)
    return None


def error_calls(module):
    """``(line, class name, message node)`` for each call of an ErrorBase subclass in ``module``."""
    source = pathlib.Path(module.__file__).read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        cls = called_class(module, node.func)
        if not (inspect.isclass(cls) and issubclass(cls, ErrorBase)):
            continue
        message = node.args[0] if node.args else next(
            (k.value for k in node.keywords if k.arg == "message"), None)
        if message is not None:
            yield node.lineno, cls.__name__, message


def test_the_walk_sees_the_raise_sites():
    calls = [call for module in MODULES for call in error_calls(module)]
    assert len(calls) > 150  # the walk does reach the domain's refusals
    names = {name for _, name, _ in calls}
    assert {"InvalidName", "UnknownTransition", "InvalidQuery", "BenefitError", "NotAPdf"} <= names


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_no_error_message_is_plain_text(module):
    offenders = [f"{module.__name__}:{line} {name}({ast.unparse(message)[:60]})"
                 for line, name, message in error_calls(module) if plain_text(message)]
    assert not offenders, offenders


def test_plain_text_is_recognised():
    """The walk's own test: what it must refuse, and what it lets through."""
    refused = ["'text'", "f'{x} text'", "'a' + b", "'a %s' % b", "'{}'.format(x)", "', '.join(x)",
               "'a' if c else 'b'"]
    allowed = ["_('text')", "_('${x}', mapping={'x': x})", "exc.message", "message",
               "joined(parts)"]
    assert all(plain_text(ast.parse(s, mode="eval").body) for s in refused)
    assert not any(plain_text(ast.parse(s, mode="eval").body) for s in allowed)


def error_classes():
    seen = {}
    for module in MODULES:
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, ErrorBase):
                seen[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return dict(sorted(seen.items()))


@pytest.mark.parametrize("cls", list(error_classes().values()), ids=lambda c: c.__qualname__)
def test_every_default_message_is_a_msgid(cls):
    assert isinstance(cls.default_message, TranslationString)
    assert cls.default_message.domain == "portal"


def test_str_of_an_error_is_the_italian_text_with_values_filled_in():
    error = UnknownTransition(_("Operazione sconosciuta: «${name}».", mapping={"name": "fly"}))
    assert str(error) == "Operazione sconosciuta: «fly»."
    assert f"{error.message}" == "Operazione sconosciuta: «fly»."
    assert str.__str__(error.message) == "Operazione sconosciuta: «${name}»."  # the msgid stays


def test_nested_messages_are_translated_inside_out():
    inner = _("Il file «${name}» è vuoto.", mapping={"name": "a.pdf"})
    outer = _("Allegato rifiutato: ${reason}", mapping={"reason": inner})
    assert interpolated(outer) == "Allegato rifiutato: Il file «a.pdf» è vuoto."
    english = {"Il file «${name}» è vuoto.": "The file «${name}» is empty.",
               "Allegato rifiutato: ${reason}": "Attachment refused: ${reason}"}

    def translate(message):
        return message.interpolate(english.get(str.__str__(message)))
    assert translated(outer, translate) == "Attachment refused: The file «a.pdf» is empty."
    both = joined([inner, "testo", outer], "; ")
    assert interpolated(both) == ("Il file «a.pdf» è vuoto.; testo; "
                                  "Allegato rifiutato: Il file «a.pdf» è vuoto.")
    assert translated(both, translate) == ("The file «a.pdf» is empty.; testo; "
                                           "Attachment refused: The file «a.pdf» is empty.")


def test_messages_pickle_with_their_msgid_and_mapping():
    message = _("Il file «${name}» è vuoto.", mapping={"name": "a.pdf"})
    copy = pickle.loads(pickle.dumps(message))  # noqa: S301 - our own bytes
    assert str.__str__(copy) == "Il file «${name}» è vuoto."
    assert copy.mapping == {"name": "a.pdf"}
    assert str(copy) == "Il file «a.pdf» è vuoto."
    assert copy.domain == "portal"
