"""The built assets (bash static/build.sh): Bootstrap Italia, a safe jQuery, no CDN."""

import json
import os
import re

import pytest

STATIC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "static"))
VENDOR = os.path.join(STATIC, "vendor")


@pytest.fixture(scope="module")
def vendor():
    """static/vendor; in CI (CI=true) the Makefile builds it first, so absence is a failure."""
    if not os.path.isdir(VENDOR):
        message = "static/vendor is missing: run `bash static/build.sh`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return VENDOR


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def all_files(root):
    for folder, _dirs, files in os.walk(root):
        for name in files:
            yield os.path.join(folder, name)


def test_bootstrap_italia_css_js_and_sprites(vendor):
    bi = os.path.join(vendor, "bootstrap-italia")
    css = read(os.path.join(bi, "css", "bootstrap-italia.min.css"))
    assert "it-header-wrapper" in css
    assert os.path.getsize(os.path.join(bi, "js", "bootstrap-italia.bundle.min.js")) > 100_000
    assert 'id="it-pa"' in read(os.path.join(bi, "svg", "sprites.svg"))


def test_bootstrap_italia_is_2x(vendor):
    versions = json.loads(read(os.path.join(vendor, "VERSIONS.json")))
    assert versions["bootstrap-italia"].split(".")[0] == "2"


def test_fonts_css_points_at_copied_fonts(vendor):
    css_dir = os.path.join(vendor, "bootstrap-italia", "css")
    urls = re.findall(r"url\('([^']+)'\)", read(os.path.join(css_dir, "fonts.css")))
    assert len(urls) >= 16
    for url in urls:
        assert os.path.isfile(os.path.normpath(os.path.join(css_dir, url))), url


def test_jquery_is_3_5_or_newer(vendor):
    header = read(os.path.join(vendor, "jquery", "jquery.min.js"))[:200]
    match = re.search(r"jQuery v(\d+)\.(\d+)\.(\d+)", header)
    assert match, header
    assert tuple(int(p) for p in match.groups()) >= (3, 5, 0)


def test_no_old_jquery_anywhere(vendor):
    for path in all_files(vendor):
        name = os.path.basename(path)
        assert "jquery-2" not in name, path
        assert "jquery-1" not in name, path
        if name.endswith(".js"):
            head = read(path)[:300]
            assert not re.search(r"jQuery (JavaScript Library )?v[12]\.", head), path


def test_chartjs_4_umd_copied(vendor):
    versions = json.loads(read(os.path.join(vendor, "VERSIONS.json")))
    assert versions["chart.js"].split(".")[0] == "4"
    source = read(os.path.join(vendor, "chartjs", "chart.umd.min.js"))
    assert f"Chart.js v{versions['chart.js']}" in source[:300]


def test_deform_js_copied(vendor):
    source = read(os.path.join(vendor, "deform", "deform.js"))
    assert "appendSequenceItem" in source


def test_versions_are_pinned():
    package = json.loads(read(os.path.join(STATIC, "package.json")))
    lock = json.loads(read(os.path.join(STATIC, "package-lock.json")))
    pinned = {**package["dependencies"], **package.get("devDependencies", {})}
    assert "axe-core" in pinned  # the browser tests' accessibility checker
    for name, spec in pinned.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", spec), f"{name} not pinned: {spec}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == spec
    assert package["dependencies"]["jquery"].startswith("3.7.")


def test_our_assets_use_no_cdn():
    for name in ("css/portal.css", "js/portal.js", "build.sh"):
        source = read(os.path.join(STATIC, name))
        assert not re.search(r"https?://", source), name
