"""Just enough of H.264's bitstream to repeat a skipped frame without encoding it again.

A slide is a still picture: once x264 has refined it (its IDR frame, then one P-frame),
every later P-frame of the GOP is the same "skip every macroblock" slice, and the
frames differ only in `frame_num` (measured: 16-byte frames, equal but for that
field). x264 still analyses all 8,160 macroblocks of each of them (~5 ms a frame at
1080p, 19 frames a GOP). `repeated_skip` makes those frames from the first one by
rewriting `frame_num`, which is only possible when nothing else in the slice header
counts frames: picture order derived from frame_num (type 2), one slice per picture,
no IDR. `stills.py` checks that the frame it repeats decodes to the picture before it.

Only what that needs is here: access units cut at their delimiters, NAL escaping,
Exp-Golomb reading, and the few SPS fields the slice header's layout depends on.
"""

from __future__ import annotations

from dataclasses import dataclass

AUD = b"\x00\x00\x00\x01\x09"  # start code + access unit delimiter (NAL type 9)
START = b"\x00\x00\x01"
NAL_SLICE, NAL_AUD, NAL_SPS = 1, 9, 7
# profile_idc values whose SPS carries chroma format, bit depths and scaling lists first
_HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}


class BitstreamError(ValueError):
    """The stream is not of the simple kind `repeated_skip` can extend."""


def access_units(annexb: bytes) -> list[bytes]:
    """The stream cut at its access-unit delimiters (one per frame)."""
    starts = []
    at = annexb.find(AUD)
    while at != -1:
        starts.append(at)
        at = annexb.find(AUD, at + len(AUD))
    return [annexb[a:b] for a, b in zip(starts, starts[1:] + [len(annexb)])]


def nal_units(unit: bytes) -> list[bytes]:
    """The NAL units of an access unit (header byte first), start codes removed."""
    parts = unit.split(START)
    return [p.rstrip(b"\x00") for p in parts[1:] if p]


def unescape(nal: bytes) -> bytes:
    """RBSP from a NAL payload: every 00 00 03 loses its 03."""
    out, zeros = bytearray(), 0
    for byte in nal:
        if zeros >= 2 and byte == 3:
            zeros = 0
            continue
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def escape(rbsp: bytes) -> bytes:
    """A NAL payload from RBSP: 03 inserted wherever 00 00 is followed by 00..03."""
    out, zeros = bytearray(), 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


class Bits:
    """MSB-first bit reader over RBSP bytes, with Exp-Golomb codes."""

    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def bit(self) -> int:
        if self.pos >= 8 * len(self.data):
            raise BitstreamError("truncated")
        b = (self.data[self.pos >> 3] >> (7 - (self.pos & 7))) & 1
        self.pos += 1
        return b

    def bits(self, n: int) -> int:
        v = 0
        for _ in range(n):
            v = (v << 1) | self.bit()
        return v

    def ue(self) -> int:
        zeros = 0
        while self.bit() == 0:
            zeros += 1
            if zeros > 31:
                raise BitstreamError("bad Exp-Golomb code")
        return (1 << zeros) - 1 + self.bits(zeros)


@dataclass(frozen=True)
class SliceLayout:
    """Where frame_num sits in a stream's slice headers."""

    frame_num_bits: int  # log2_max_frame_num
    poc_type: int


def slice_layout(sps_nal: bytes) -> SliceLayout:
    """The SPS fields that decide whether frame_num is all a P-slice header counts."""
    if not sps_nal or sps_nal[0] & 0x1F != NAL_SPS:
        raise BitstreamError("not an SPS")
    r = Bits(unescape(sps_nal[1:]))
    profile = r.bits(8)
    r.bits(16)  # constraint flags, level
    r.ue()  # seq_parameter_set_id
    if profile in _HIGH_PROFILES:
        raise BitstreamError(f"profile {profile}: not parsed")
    frame_num_bits = r.ue() + 4
    return SliceLayout(frame_num_bits, r.ue())


def _frame_num_at(slice_nal: bytes) -> tuple[bytes, int]:
    """(RBSP, bit offset of frame_num) of a single-slice non-IDR P picture."""
    if len(slice_nal) < 2 or slice_nal[0] & 0x1F != NAL_SLICE or not slice_nal[0] & 0x60:
        raise BitstreamError("not a reference non-IDR slice")
    rbsp = unescape(slice_nal[1:])
    r = Bits(rbsp)
    first_mb, slice_type = r.ue(), r.ue()
    r.ue()  # pic_parameter_set_id
    if first_mb != 0 or slice_type % 5 != 0:
        raise BitstreamError("not a whole-picture P slice")
    return rbsp, r.pos


def repeated_skip(unit: bytes, sps_nal: bytes, frame_nums: range) -> list[bytes]:
    """Access unit `unit` (AUD + one P slice) again for each frame number in `frame_nums`,
    only frame_num rewritten. Raises BitstreamError if the stream counts frames elsewhere."""
    layout = slice_layout(sps_nal)
    if layout.poc_type != 2:
        raise BitstreamError(f"picture order type {layout.poc_type} counts frames itself")
    nals = nal_units(unit)
    if len(nals) != 2 or nals[0][0] & 0x1F != NAL_AUD:
        raise BitstreamError("not one delimiter and one slice")
    header, slice_nal = nals[0], nals[1]
    rbsp, at = _frame_num_at(slice_nal)
    value = int.from_bytes(rbsp, "big")
    width = 8 * len(rbsp)
    shift = width - at - layout.frame_num_bits
    field = ((1 << layout.frame_num_bits) - 1) << shift
    units = []
    for n in frame_nums:
        num = n % (1 << layout.frame_num_bits)
        patched = ((value & ~field) | (num << shift)).to_bytes(len(rbsp), "big")
        units.append(
            b"\x00\x00\x00\x01" + header + b"\x00\x00\x01" + slice_nal[:1] + escape(patched)
        )
    return units
