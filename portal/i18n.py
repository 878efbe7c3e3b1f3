"""The translation domain: msgids are the Italian text shown by default."""
from pyramid.i18n import TranslationStringFactory

_ = TranslationStringFactory("portal")
