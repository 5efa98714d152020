"""Checks of an uploaded screenshot: no larger than the setting, and a PNG, JPEG or WebP by what
its first bytes say. The name and content type the browser sends are never trusted (a PDF
renamed ``.png`` arrives as ``image/png``); the file is stored under a name of Netra's."""

from __future__ import annotations

from starlette.datastructures import UploadFile

from netra.public_reports import Screenshot, image_kind

CHUNK = 64 * 1024


class UploadRefused(Exception):
    """An upload that is not kept; ``code`` says why (``too_large``, ``not_image``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


async def read_capped(upload: UploadFile, limit: int) -> bytes:
    """The upload's bytes; UploadRefused("too_large") as soon as more than ``limit`` arrive."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await upload.read(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise UploadRefused("too_large")
        chunks.append(chunk)


async def screenshot_from(upload: object, limit: int) -> Screenshot | None:
    """The screenshot of a form field, None when no file was chosen (browsers then send an empty
    part without a file name). Raises UploadRefused."""
    if not isinstance(upload, UploadFile):
        return None  # a plain text field under the file's name: nothing uploaded
    data = await read_capped(upload, limit)
    if not data and not upload.filename:
        return None
    kind = image_kind(data[:16])
    if kind is None:
        raise UploadRefused("not_image")
    return Screenshot(data, kind)
