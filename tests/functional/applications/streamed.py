"""A multipart upload generated while it is read: tests send 150 MB without holding them."""
import io

BOUNDARY = "----portale-test-upload"
#: a PDF-looking start, then lines of filler (so line-based multipart parsers see lines)
PREFIX = b"%PDF-1.7\n"
LINE = b"0123456789abcdef" * 4 + b"\n"


class StreamedUpload(io.RawIOBase):
    """The body of a form with ``fields`` and one file of ``size`` bytes, made on the fly."""

    def __init__(self, fields, size, name="file", filename="grande.pdf"):
        parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                 f"{value}\r\n" for key, value in fields.items()]
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n')
        self.head = "".join(parts).encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.size = size
        self.length = len(self.head) + size + len(self.tail)
        self.position = 0

    content_type = f"multipart/form-data; boundary={BOUNDARY}"

    def readable(self):
        return True

    def _file_bytes(self, lo, hi):
        out = bytearray(PREFIX[lo:hi])
        lo = max(lo, len(PREFIX))
        if lo < hi:
            offset = (lo - len(PREFIX)) % len(LINE)
            out += (LINE * ((offset + hi - lo) // len(LINE) + 1))[offset:offset + hi - lo]
        return out

    def _byte_range(self, start, stop):
        head, size = len(self.head), self.size
        out = bytearray(self.head[start:stop])
        lo, hi = max(start, head) - head, min(stop, head + size) - head
        if lo < hi:
            out += self._file_bytes(lo, hi)
        if stop > head + size:
            out += self.tail[max(0, start - head - size):stop - head - size]
        return bytes(out)

    def read(self, n=-1):
        if n is None or n < 0:
            n = self.length - self.position
        n = min(n, self.length - self.position, 1024 * 1024)
        data = self._byte_range(self.position, self.position + n)
        self.position += len(data)
        return data

    def readline(self, limit=-1):
        # enough for WebOb and cgi: a line never spans more than one read here
        if limit is None or limit < 0:
            limit = 64 * 1024
        data = self._byte_range(self.position, min(self.length, self.position + limit))
        cut = data.find(b"\n")
        if cut >= 0:
            data = data[:cut + 1]
        self.position += len(data)
        return data

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def chunks(self, size=256 * 1024):
        """The whole body, ``size`` bytes at a time (for a socket)."""
        while True:
            data = self.read(size)
            if not data:
                return
            yield data
