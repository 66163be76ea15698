"""A tiny SMTP server for tests (the standard library's socketserver; no dependency): it
speaks enough of RFC 5321 for smtplib - EHLO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, QUIT -
and keeps what it received.

``password``: AUTH is offered and only that password is accepted; a refusal echoes the
credentials it was given, as a careless server might, so a test can check they are not
recorded. A recipient whose address starts with "refused" is refused (550)."""

from __future__ import annotations

import base64
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: Message


@dataclass
class Mailbox:
    username: str | None = None
    password: str | None = None
    received: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        box = self.server.mailbox
        sender, recipients = "", []
        self.reply("220 fake ESMTP")
        while line := self.rfile.readline():
            verb, _, rest = line.decode().strip().partition(" ")
            verb = verb.upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-fake" if box.password else "250 fake")
                if box.password:
                    self.reply("250 AUTH PLAIN")
            elif verb == "AUTH":
                _, _, blob = rest.partition(" ")
                _, user, given = base64.b64decode(blob).decode().split("\0")
                box.logins.append(user)
                if (user, given) == (box.username, box.password):
                    self.reply("235 2.7.0 Authentication successful")
                else:
                    self.reply(f"535 5.7.8 Authentication failed for {user}:{given}")
            elif verb == "MAIL":
                sender, recipients = rest.partition(":")[2].strip("<> "), []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = rest.partition(":")[2].strip("<> ")
                if address.startswith("refused"):
                    self.reply("550 5.1.1 No such user")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self._data(box, sender, recipients)
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Not implemented")

    def _data(self, box: Mailbox, sender: str, recipients: list[str]) -> None:
        lines: list[bytes] = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        with box.lock:
            box.received.append(Received(sender, recipients, message_from_bytes(b"".join(lines))))


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    mailbox: Mailbox


@contextmanager
def fake_smtp(mailbox: Mailbox) -> Iterator[int]:
    """The server on a free port of 127.0.0.1 for the block; yields the port."""
    with _Server(("127.0.0.1", 0), _Handler) as server:
        server.mailbox = mailbox
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server.server_address[1]
        finally:
            server.shutdown()
            thread.join()
