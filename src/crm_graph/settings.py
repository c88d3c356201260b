"""The one Settings class: every knob is a CRM_* environment variable."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_", env_file=None, extra="ignore")

    # Unset means: start the embedded PostgreSQL / Redis under data_dir.
    database_url: str | None = None
    redis_url: str | None = None
    data_dir: Path = Path(".crm-data")
    # TCP port of the embedded Redis; a free one is chosen if another process holds it.
    embedded_redis_port: int = 6391

    env: str = "development"  # "production" turns off GraphiQL and dev conveniences
    host: str = "127.0.0.1"
    port: int = 8000
    db_pool_size: int = 4
    # Until real authentication lands (issue 3), requests without credentials act as
    # this tenant's admin.
    default_tenant: str = "demo"
    default_user_email: str = "admin@demo.example"
    jwt_secret: str = "dev-secret-change-me"
    log_level: str = "INFO"

    @property
    def production(self) -> bool:
        return self.env == "production"


@lru_cache
def get_settings() -> Settings:
    return Settings()
