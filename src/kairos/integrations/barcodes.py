"""Coupon codes drawn as SVG: Code 128 barcodes (python-barcode) and QR codes (segno)."""

import io

import barcode
import segno
from barcode.errors import BarcodeError
from barcode.writer import SVGWriter

FORMATS = ("code128", "qr")
# Sized for a till scanner held at a phone screen: bars tall enough, quiet zones kept.
CODE128_OPTIONS = {"module_width": 0.3, "module_height": 14, "quiet_zone": 4,
                   "font_size": 9, "text_distance": 4, "compress": False}


def coupon_svg(code, coupon_format):
    """The SVG document (bytes) for a coupon code; ValueError when it cannot be drawn."""
    if coupon_format == "code128":
        return code128_svg(code)
    if coupon_format == "qr":
        return qr_svg(code)
    raise ValueError(f"no image for coupon format '{coupon_format}'")


def code128_svg(code):
    try:
        drawing = barcode.get("code128", code, writer=SVGWriter())
    except (BarcodeError, ValueError) as error:
        raise ValueError(f"cannot draw '{code}' as Code 128: {error}") from None
    buffer = io.BytesIO()
    drawing.write(buffer, options=CODE128_OPTIONS)
    return buffer.getvalue()


def qr_svg(code):
    buffer = io.BytesIO()
    segno.make(code, error="m", micro=False).save(
        buffer, kind="svg", scale=6, border=2, xmldecl=False, title=code)
    return buffer.getvalue()
