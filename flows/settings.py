"""Settings from the environment (INVESTWATCH_*) and an optional .env / secrets file; read only by flows."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """One settings object; secrets (database passwords, alert tokens) stay in the environment."""

    model_config = SettingsConfigDict(env_prefix="INVESTWATCH_", env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore")

    data_dir: Path = Field(default=Path("investwatch-data"), description="where the database, dataset and logs go")
    database_url: SecretStr | None = Field(default=None, description="SQLAlchemy URL; SQLite in data_dir if unset")
    redis_url: SecretStr | None = Field(default=None, description="scrapy-redis frontier for distributed crawls")
    sources: Path = Field(default=Path("sources.yaml"))
    alerts: Path = Field(default=Path("alerts.yaml"))
    download_timeout_s: float = 30.0
    crawl_timeout_s: float = 1800.0
    alert_max_attempts: int = 20
    snapshots_kept: int = Field(default=10, ge=1, description="dated project snapshots kept in dataset/snapshots")

    def db_url(self) -> str:
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.data_dir / 'investwatch.db').resolve()}"
