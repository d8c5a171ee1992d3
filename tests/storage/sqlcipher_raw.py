"""Read a SQLCipher 4 file page by page with nothing but AES, to see what is really on disk,
free pages included (used to prove that ``secure_delete`` leaves no trace).

Format (SQLCipher 4 defaults, raw key): 4096-byte pages, each with 80 reserved bytes at its
end (16-byte IV, then the 64-byte HMAC-SHA512); page 1 starts with the 16-byte salt. Each page's
content is AES-256-CBC with the raw key and the page's IV. Written from the documented format,
independently of Sillage's code and of any SQLCipher binding.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
IV = 16


WAL_HEADER = 32
FRAME_HEADER = 24


def decrypt_page(page: bytes, key: bytes, *, first: bool) -> bytes:
    start = 16 if first else 0
    iv = page[PAGE - RESERVE:PAGE - RESERVE + IV]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start:PAGE - RESERVE]) + decryptor.finalize()


def decrypted_pages(path: Path, key: bytes) -> Iterator[bytes]:
    """Every page of a database file, or every frame of a ``-wal`` file."""
    data = path.read_bytes()
    if path.name.endswith("-wal"):
        offset = WAL_HEADER
        while offset + FRAME_HEADER + PAGE <= len(data):
            page_number = int.from_bytes(data[offset:offset + 4], "big")
            page = data[offset + FRAME_HEADER:offset + FRAME_HEADER + PAGE]
            yield decrypt_page(page, key, first=page_number == 1)
            offset += FRAME_HEADER + PAGE
        return
    for offset in range(0, len(data) - PAGE + 1, PAGE):
        yield decrypt_page(data[offset:offset + PAGE], key, first=offset == 0)


def plaintext(path: Path, key: bytes) -> bytes:
    return b"".join(decrypted_pages(path, key))
