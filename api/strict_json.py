"""Request bodies are strict JSON: Python's parser also takes ``NaN``, ``Infinity`` and lone
surrogates (``"\\ud800"``), which nothing downstream can store or send back, so they are refused
with a 422 naming the problem instead of failing later as a 500."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute


class NotStrictJSON(ValueError):
    pass


def _no_constant(name: str) -> float:
    raise NotStrictJSON(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NotStrictJSON(f"{text[:40]} is too large for a number")
    return value


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def loads(body: bytes) -> Any:
    """``json.loads`` without the extensions: NotStrictJSON for NaN, ±Infinity, numbers beyond
    a float and strings holding a lone surrogate; json.JSONDecodeError as usual."""
    value = json.loads(body, parse_constant=_no_constant, parse_float=_finite)
    if _has_lone_surrogate(value):
        raise NotStrictJSON("a string holds a lone surrogate (\\ud800-\\udfff): not Unicode text")
    return value


class StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            try:
                self._json = loads(await self.body())
            except NotStrictJSON as exc:
                raise HTTPException(
                    422, [{"loc": ["body"], "msg": str(exc), "type": "json_invalid"}]
                ) from exc
        return self._json


class StrictJSONRoute(APIRoute):
    """A route whose body is read by ``StrictJSONRequest``: pass as ``route_class``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict
