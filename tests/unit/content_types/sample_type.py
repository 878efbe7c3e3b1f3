"""A content type defined in one module, to prove that is all a new type needs."""
from content_types.base import Content
from content_types.registry import content_type
from content_types.schemas import BaseSchema


@content_type("SampleNotice", title="Avviso di prova", schema=BaseSchema, addable_to=("Folder",))
class SampleNotice(Content):
    type_name = "SampleNotice"
    description = ""
