"""A real SMTP server on loopback for tests: the outside world of Kairos' e-mails when
they leave from another process (`kairos worker`), where Django's locmem outbox cannot
see them. Speaks just enough SMTP for smtplib: HELO/EHLO, MAIL, RCPT, DATA, RSET, QUIT."""

import email
import email.policy
import socketserver
import threading
from contextlib import contextmanager


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        self.reply("220 test SMTP")
        recipients = []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("HELO", "EHLO"):
                self.reply("250 test")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                self.server.messages.append((recipients, self.read_data()))
                recipients = []
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL, RSET, NOOP
                if verb == "RSET":
                    recipients = []
                self.reply("250 OK")

    def read_data(self):
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return email.message_from_bytes(b"".join(lines), policy=email.policy.default)

    def reply(self, text):
        self.wfile.write(text.encode() + b"\r\n")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.messages = []  # (envelope recipients, parsed message)


@contextmanager
def smtp_server():
    """(server, port): server.messages fills as e-mails arrive."""
    server = Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
