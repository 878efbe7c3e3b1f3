"""WebOb copies a big request body (and each uploaded file) to temporary files and never
closes them: close them when the request is over.

The body copy (made by ``request.POST``, or by pyramid_retry so a replay can read it again)
replaces ``environ["wsgi.input"]``; uploaded files over 1 KB get a file each, held by the
parsed form. The request's reference cycles kept them, and their file descriptors, open until
the next garbage collection. They are closed after the last attempt, by wrapping whichever
execution policy is configured (pyramid_retry's or Pyramid's default).
"""
from pyramid.interfaces import IExecutionPolicy
from pyramid.router import default_execution_policy

#: after the actions of order 0, among them pyramid_retry's ``set_execution_policy``
AFTER_EXECUTION_POLICY = 1
PARSED_FORM = "webob._parsed_post_vars"  # WebOb's cache of request.POST: (fields, body)


def close_request_files(environ, given):
    """Close the form's uploaded files and the body copy that replaced ``given``."""
    fields = environ.get(PARSED_FORM, ((), None))[0]
    for value in getattr(fields, "values", tuple)():
        upload = getattr(value, "file", None)
        if upload is not None:
            upload.close()
    body = environ.get("wsgi.input")
    if body is not given and hasattr(body, "close"):
        body.close()


def closing_request_files(policy):
    """``policy``, then close the temporary files WebOb made for the request."""

    def execution_policy(environ, router):
        given = environ.get("wsgi.input")
        try:
            return policy(environ, router)
        finally:
            close_request_files(environ, given)

    return execution_policy


def includeme(config):
    registry = config.registry

    def wrap_policy():
        policy = registry.queryUtility(IExecutionPolicy, default=default_execution_policy)
        registry.registerUtility(closing_request_files(policy), IExecutionPolicy)

    config.action(None, wrap_policy, order=AFTER_EXECUTION_POLICY)
