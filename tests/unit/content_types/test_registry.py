import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError

from content_types.base import Content
from content_types.errors import NotAddable, UnknownContentType
from content_types.folder import Folder
from content_types.page import Page
from content_types.registry import ContentRegistry, ContentTypeInfo, get_content_registry


def configured(*scan):
    config = Configurator()
    config.include("content_types")
    for target in scan:
        # the same scan content_types.includeme runs over its own package
        config.scan(target, categories=("portal.content",))
    config.commit()
    return get_content_registry(config.registry)


def test_builtin_types_are_registered_with_italian_titles():
    registry = configured()
    assert registry.get("District").title == "Ambito territoriale sociale"
    assert registry.get("Page").factory is Page


def test_a_new_type_needs_only_its_own_module():
    registry = configured("tests.unit.content_types.sample_type")
    info = registry.get("SampleNotice")
    assert info.title == "Avviso di prova"
    assert [i.name for i in registry.addable_types(Folder(title="x"))].count("SampleNotice") == 1


def test_duplicate_type_names_fail_at_startup():
    class Other(Content):
        type_name = "Page"

    config = Configurator()
    config.include("content_types")
    config.add_content_type("Page", Other, title="Doppione")
    with pytest.raises(ConfigurationError):
        config.commit()


def test_type_name_must_match_the_class():
    class Wrong(Content):
        type_name = "Something"

    registry = ContentRegistry()
    with pytest.raises(ConfigurationError):
        registry.add(ContentTypeInfo(name="Other", title="x", factory=Wrong))


def test_addable_rules_are_data():
    registry = configured()
    district_types = {i.name for i in registry.addable_types(registry.create("District", title="A"))}
    assert "Municipality" in district_types
    assert "District" not in district_types
    with pytest.raises(NotAddable) as excinfo:
        registry.check_addable(Folder(title="x"), "Municipality")
    assert "Comune" in str(excinfo.value.message)
    with pytest.raises(UnknownContentType):
        registry.get("Nope")
