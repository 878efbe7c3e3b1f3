from setuptools import find_namespace_packages, setup

requires = [
    "pyramid>=2.0.2",
    "pyramid_chameleon>=0.3",
    "pyramid_tm>=2.5",
    "pyramid_retry>=2.1.1",
    "pyramid_zodbconn>=0.8.1",
    "zope.interface>=6.0",  # marker interfaces of the registered services (IDocumentService, …)
    "zodburi>=2.6",
    "ZODB>=6.0",
    "BTrees>=5.0",
    "persistent>=5.0",
    "transaction>=4.0",
    "Chameleon>=4.5",
    "colander>=2.0",
    "deform>=2.0.15",
    "translationstring>=1.4",  # ChameleonTranslate: deform forms in the request's language
    "argon2-cffi>=23.1",
    "python-stdnum>=1.20",
    "waitress>=3.0.1",
    "hypatia>=0.5",
    "snowballstemmer>=2.2",
    "pypdf>=6.0",
    "reportlab>=4.2",
    "rl_accel>=0.9",  # reportlab's C accelerators: PDF generation about 1.5x faster
    "pyHanko>=0.38",
    "pyhanko-certvalidator>=0.33",
    "qrcode>=7.4",
    "Babel>=2.14",  # compiles the gettext catalogs (portal/locale/compile.py)
    "openpyxl>=3.1.5",  # XLSX exports of payments and spending
    "lxml>=5",  # the SIUSS flow: built as a tree, validated against the INPS XSD
    "elasticsearch>=8.15,<9",  # the client major must match the server (8.x)
]

tests_require = [
    "pytest>=8.0",
    "pytest-timeout>=2.3",
    "WebTest>=3.0.1",
    "playwright>=1.45",
    "openapi-spec-validator>=0.7.1",
    "jsonschema>=4.21",
    "certomancer>=0.16",
    "aiosmtpd>=1.4.6",
    "python-pkcs11>=0.7",
    "lingva>=5.0",  # pot-create: keeps portal/locale/portal.pot in step (tested)
    "hypothesis>=6.100",  # property-based tests over random sequences of actions
    "coverage[toml]>=7.10.6",  # `patch = subprocess` measures portal-serve & co. started by tests
    "pytest-cov>=7.0",  # 7 leaves subprocesses to coverage's patch (6 had its own .pth hook)
    # `select = ["ALL"]`: a new minor release brings new rules, each to be decided on first
    "ruff>=0.17.6,<0.18",
]

setup(
    name="portale-sociale",
    version="0.1.0",
    description="Portale dei servizi sociali per Regione, Ambiti, Comuni ed enti gestori",
    python_requires=">=3.11",
    # namespace discovery: the data-only directories (portal/templates/…, portal/locale/…)
    # are packages too, as setuptools wants, so their files below are declared, not guessed
    packages=find_namespace_packages(include=["portal", "portal.*", "content_types",
                                              "content_types.*", "workflows", "workflows.*",
                                              "catalog", "catalog.*"],
                                     exclude=["*.__pycache__"]),
    include_package_data=False,
    package_data={"portal.templates": ["*.pt", "**/*.pt"], "portal.plans": ["data/*.json"],
                  "portal.register": ["data/*.csv", "data/*.xsd"],
                  "portal.locale": ["*.pot", "*/LC_MESSAGES/*.po", "*/LC_MESSAGES/*.mo"]},
    zip_safe=False,
    install_requires=requires,
    extras_require={"test": tests_require},
    entry_points={
        "paste.app_factory": ["main = portal:main"],
        "console_scripts": [
            "portal-init = portal.scripts.init:main",
            "portal-shell = portal.scripts.shell:main",
            "portal-evolve = portal.scripts.evolve:main",
            "portal-serve = portal.scripts.serve:main",
            "portal-workflow-update = workflows.update:main",
            "portal-reindex = portal.scripts.catalog:reindex_main",
            "portal-search = portal.scripts.catalog:search_main",
            "portal-indexer = portal.scripts.catalog:indexer_main",
            "portal-lapse = portal.scripts.lapse:main",
            "portal-jobs = portal.scripts.jobs:main",
            "portal-proposals = portal.scripts.proposals:main",
        ],
    },
)
