"""The e-mail channel: UTF-8 messages sent over SMTP (smtplib), one connection per dispatcher batch."""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Mapping

FOOTER = "\n\n--\nThư này được gửi tự động từ hệ thống dvflow. Vui lòng không trả lời thư này."


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send: the MAIL_* configuration keys."""

    host: str = ""
    port: int = 25
    user: str = ""
    password: str = ""
    tls: bool = False  # STARTTLS on a plain port; port 465 always uses implicit TLS
    sender: str = "dvflow@localhost"
    timeout: float = 10.0  # seconds: a hung server must not hold the dispatcher for long

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @classmethod
    def from_config(cls, config: Mapping) -> "MailSettings":
        return cls(host=config.get("MAIL_HOST") or "", port=int(config.get("MAIL_PORT") or 25),
                   user=config.get("MAIL_USER") or "", password=config.get("MAIL_PASSWORD") or "",
                   tls=bool(config.get("MAIL_TLS")), sender=config.get("MAIL_SENDER") or "dvflow@localhost",
                   timeout=float(config.get("MAIL_TIMEOUT_SECONDS") or 10.0))


def build_message(settings: MailSettings, to_address: str, to_name: str, subject: str, body: str,
                  attachment: tuple[str, bytes] | None = None) -> EmailMessage:
    """A UTF-8 plain-text message (the subject is RFC 2047-encoded by the email package), with an optional
    attachment (file name, content; a DOCX)."""
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = formataddr((to_name, to_address)) if to_name else to_address
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or "dvflow")
    msg.set_content(body + FOOTER, charset="utf-8")
    if attachment is not None:
        name, content = attachment
        msg.add_attachment(content, maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename=name)
    return msg


class SmtpMailer:
    """A context manager holding one SMTP connection: ``with SmtpMailer(s) as m: m.send(msg)``."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "SmtpMailer":
        self._smtp = self._connect()
        return self

    def __exit__(self, *exc) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.port == 465:
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.tls:
                smtp.starttls(context=ssl.create_default_context())
        if s.user:
            smtp.login(s.user, s.password)
        return smtp

    def send(self, msg: EmailMessage, to_address: str) -> None:
        """Send one message to `to_address`; raises smtplib/OS errors for the dispatcher to record. The envelope's
        recipient is given, never read back from the To header: the header parser drops an address it finds
        malformed (a trailing dot in the domain) and keeps the display name, which smtplib would then write to."""
        if self._smtp is None:
            raise RuntimeError("SmtpMailer used outside its 'with' block")
        self._smtp.send_message(msg, to_addrs=[to_address])
