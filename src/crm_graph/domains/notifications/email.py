"""Email for notifications over SMTP (CRM_SMTP_URL), with the standard library.

    smtp://127.0.0.1:8025                      plain, no authentication
    smtp://user:pass@mail.example:587?starttls=true
    smtps://user:pass@mail.example:465
    ...?from=crm@example.com                   the sender (default crm-graph@localhost)

smtplib blocks, so each message is sent in a thread.
"""

from __future__ import annotations

import asyncio
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_SENDER = "crm-graph@localhost"
TIMEOUT = 15.0


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    ssl: bool
    starttls: bool
    username: str | None
    password: str | None
    sender: str


def parse_url(url: str) -> SmtpTarget:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("CRM_SMTP_URL must look like smtp://host:port or smtps://user:pass@host:port")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    ssl = parts.scheme == "smtps"
    return SmtpTarget(
        host=parts.hostname,
        port=parts.port or (465 if ssl else 25),
        ssl=ssl,
        starttls=query.get("starttls", "").lower() in ("1", "true", "yes"),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        sender=query.get("from") or DEFAULT_SENDER,
    )


def message(target: SmtpTarget, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = target.sender
    msg["To"] = to
    msg["Subject"] = subject.replace("\r", " ").replace("\n", " ")
    msg.set_content(body)
    return msg


def _send(target: SmtpTarget, msg: EmailMessage) -> None:
    client_cls = smtplib.SMTP_SSL if target.ssl else smtplib.SMTP
    with client_cls(target.host, target.port, timeout=TIMEOUT) as client:
        if target.starttls:
            client.starttls()
        if target.username:
            client.login(target.username, target.password or "")
        client.send_message(msg)


async def send(url: str, to: str, subject: str, body: str) -> None:
    """Send one plain-text message; raises smtplib.SMTPException or OSError."""
    target = parse_url(url)
    await asyncio.to_thread(_send, target, message(target, to, subject, body))
