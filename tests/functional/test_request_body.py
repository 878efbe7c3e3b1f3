"""A big request body is copied to a temporary file by WebOb: the portal closes it at the end.

Without that, each big POST (an upload, a long form) kept a file descriptor open until the
request's reference cycles were collected, and the warning surfaced in whichever later test
triggered the collection.
"""
import gc
import os
import tempfile

import pytest

from tests.conftest import csrf_token, login

BIG = "x" * 50_000  # over WebOb's 10 KB limit for keeping a body in memory


def temporary_files():
    """This process's open descriptors on files in the temporary directory."""
    tmp = os.path.realpath(tempfile.gettempdir())
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(tmp + "/") and target.endswith("(deleted)"):
            found.add(fd)
    return found


@pytest.fixture
def no_collection():
    """Garbage collection off: only closing (not a collection) may release a file."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()
    gc.collect()


def test_big_form_posts_leave_no_temporary_file_open(testapp, no_collection):
    login(testapp, "citizen")
    token = csrf_token(testapp)
    before = temporary_files()
    for _ in range(5):
        testapp.post("/@@accedi", {"csrf_token": token, "note": BIG}, expect_errors=True)
        testapp.post("/@@accedi", {"note": BIG}, expect_errors=True)  # refused: no token
    assert temporary_files() - before == set()


def test_big_uploads_leave_no_temporary_file_open(testapp, no_collection):
    login(testapp, "citizen")
    token = csrf_token(testapp)
    before = temporary_files()
    for index in range(5):
        testapp.post("/verifica", {"csrf_token": token},
                     upload_files=[("file", f"atto-{index}.pdf", BIG.encode())],
                     expect_errors=True)
    assert temporary_files() - before == set()
