"""Approvers' Ed25519 keys: making, storing, loading, signing and verifying.

A private key never lives in the project folder (whoever can write the project
could otherwise sign): `truyenthanh keys new` writes it to the user's config
directory (or to `--out`, e.g. a USB stick) with mode 0600, optionally encrypted
with a passphrase, and a `.pub` file beside it so the key can be matched to the
project's `approvers:` list without asking for the passphrase.

Public keys are written as "ed25519:<base64 of the 32 raw bytes>" — one line that
fits in `truyenthanh.yaml`. Signatures are base64 of the 64-byte Ed25519 signature
over the canonical JSON of the signed fields (sorted keys, UTF-8, no spaces).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from truyenthanh.errors import ApprovalError, os_reason

PREFIX = "ed25519:"
KEY_SUFFIX = ".key"
PUB_SUFFIX = ".pub"
PASSPHRASE_ENV = "TRUYENTHANH_KEY_PASSPHRASE"  # for unattended use; otherwise the CLI prompts


def check_public_key(text: str) -> str:
    """Validate the "ed25519:<base64>" form (a pydantic validator: raises ValueError)."""
    text = text.strip()
    raw = _decode(text.removeprefix(PREFIX)) if text.startswith(PREFIX) else None
    if raw is None or len(raw) != 32:
        raise ValueError(
            "public_key không hợp lệ: phải có dạng “ed25519:…” đúng như lệnh "
            "truyenthanh keys new in ra (44 ký tự base64 sau dấu hai chấm)"
        )
    return text


def public_key_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return PREFIX + base64.b64encode(raw).decode("ascii")


def canonical_payload(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def sign(key: Ed25519PrivateKey, fields: dict) -> str:
    return base64.b64encode(key.sign(canonical_payload(fields))).decode("ascii")


def verify(public_key: str, fields: dict, signature: str) -> bool:
    """True when `signature` is `public_key`'s signature of exactly `fields`."""
    raw_key = _decode(public_key.removeprefix(PREFIX)) if public_key.startswith(PREFIX) else None
    raw_sig = _decode(signature)
    if raw_key is None or len(raw_key) != 32 or raw_sig is None or len(raw_sig) != 64:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(raw_sig, canonical_payload(fields))
    except InvalidSignature:
        return False
    return True


def _decode(text: str) -> bytes | None:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None


# -- key files ------------------------------------------------------------------------


def keys_dir() -> Path:
    """The user's key folder: $XDG_CONFIG_HOME/truyenthanh/keys (default ~/.config/…)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "truyenthanh" / "keys"


def slug(name: str) -> str:
    """ "Nguyễn Văn An" -> "nguyen-van-an": a file name that any file system accepts."""
    text = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "khoa"


@dataclass(frozen=True)
class NewKey:
    path: Path
    public_key: str


def write_new_key(path: Path, passphrase: str | None = None) -> NewKey:
    """Make a key pair; write the private key (0600, never overwriting) and its `.pub` beside it."""
    key = Ed25519PrivateKey.generate()
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    public = public_key_text(key.public_key())
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ApprovalError(
            f"Tệp khóa {path} đã có; không ghi đè khóa cũ. Hãy chọn --out khác."
        ) from None
    except OSError as exc:
        raise ApprovalError(f"Không ghi được tệp khóa {path}: {os_reason(exc)}.") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    os.chmod(
        path, 0o600
    )  # O_CREAT's mode is masked by the umask; a private key is never group-readable
    pub_path(path).write_text(public + "\n", encoding="ascii")
    return NewKey(path, public)


def pub_path(key_path: Path) -> Path:
    return key_path.with_name(key_path.name.removesuffix(KEY_SUFFIX) + PUB_SUFFIX)


def is_encrypted(path: Path) -> bool:
    try:
        return b"ENCRYPTED" in path.read_bytes()[:64]
    except OSError:
        return False


def load_private_key(path: Path, passphrase: str | None = None) -> Ed25519PrivateKey:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ApprovalError(f"Không đọc được tệp khóa {path}: {os_reason(exc)}.") from None
    if len(data) > 10_000:
        raise ApprovalError(f"{path} không phải tệp khóa của truyenthanh (quá lớn).")
    try:
        key = serialization.load_pem_private_key(
            data, passphrase.encode("utf-8") if passphrase else None
        )
    except TypeError:
        if passphrase:
            raise ApprovalError(
                f"Tệp khóa {path} không được bảo vệ bằng mật khẩu nhưng lại nhận được mật khẩu."
            ) from None
        raise ApprovalError(
            f"Tệp khóa {path} được bảo vệ bằng mật khẩu; hãy nhập mật khẩu."
        ) from None
    except ValueError:
        if passphrase:
            raise ApprovalError(
                f"Sai mật khẩu của tệp khóa {path} (hoặc tệp không phải khóa PEM)."
            ) from None
        raise ApprovalError(
            f"{path} không phải tệp khóa riêng PEM do truyenthanh keys new tạo."
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ApprovalError(f"{path} không phải khóa Ed25519.")
    return key


def stored_public_key(key_path: Path) -> str | None:
    """The public key of a stored private key, from its `.pub` file or, if unencrypted, the key itself."""
    pub = pub_path(key_path)
    try:
        return check_public_key(pub.read_text(encoding="ascii"))
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    if is_encrypted(key_path):
        return None
    try:
        return public_key_text(load_private_key(key_path).public_key())
    except ApprovalError:
        return None


def find_keys(public_keys: set[str], folder: Path | None = None) -> list[Path]:
    """Private keys in the user's key folder whose public key is one of `public_keys`."""
    folder = folder or keys_dir()
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.glob(f"*{KEY_SUFFIX}")) if stored_public_key(p) in public_keys]
