"""Sending e-mail (the newsletter): one small SMTP client built from the settings.

``Mailer.send`` opens a connection per message batch (the newsletter sends few); a missing
SMTP configuration is a ``ServiceUnavailable`` (503 on the API), never a silent drop.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from constats.config import Settings
from constats.errors import ServiceUnavailable


class Mailer:
    def __init__(self, settings: Settings):
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.user = settings.smtp_user
        self.password = settings.smtp_password
        self.security = settings.smtp_security
        self.sender = settings.mail_from
        self.timeout = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.host)

    def message(self, to: str, subject: str, text: str, html: str | None = None,
                headers: dict[str, str] | None = None) -> EmailMessage:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.sender, to, subject
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = make_msgid(domain="constats")
        for key, value in (headers or {}).items():
            msg[key] = value
        msg.set_content(text)
        if html:
            msg.add_alternative(html, subtype="html")
        return msg

    def send(self, messages: list[EmailMessage]) -> None:
        if not messages:
            return
        if not self.host:
            raise ServiceUnavailable("SMTP", "aucun serveur d'envoi n'est configuré (CONSTATS_SMTP_HOST)")
        try:
            if self.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                      context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with smtp:
                if self.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password or "")
                for msg in messages:
                    smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise ServiceUnavailable("SMTP", f"{type(exc).__name__}: {exc}") from exc
