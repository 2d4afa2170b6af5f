"""Counts the SQL queries of each request into the ``X-Queries`` header (benchmark only)."""

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        wrappers = [c.execute_wrapper(counter) for c in connections.all()]
        for w in wrappers:
            w.__enter__()
        try:
            response = self.get_response(request)
            # A streamed body's queries run after this; they are not counted.
            response.headers["X-Queries"] = str(count)
        finally:
            for w in reversed(wrappers):
                w.__exit__(None, None, None)
        return response
