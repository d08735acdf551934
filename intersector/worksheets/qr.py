"""The presenter view's join link as a QR code: an SVG drawn here, without any network."""

import re

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def join_qr_svg(url: str) -> SafeString:
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    svg = svg[svg.index("<svg") :]  # no XML declaration inside HTML
    # Sized by the stylesheet; the figure around it carries the accessible name.
    svg = re.sub(
        r'^<svg width="[^"]*" height="[^"]*"', '<svg aria-hidden="true" focusable="false"', svg
    )
    # The markup is qrcode's own (a path of squares); the URL is encoded, never included.
    return mark_safe(svg)  # noqa: S308
