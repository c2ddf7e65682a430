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

    run_lock_wait_s: float = 30.0  # a second run on the same data dir waits this long, then exits with code 3
    heartbeat_interval_s: float = Field(default=15.0, gt=0)  # a running pipeline refreshes its run row this often
    # a `running` row whose heartbeat is older is dead (even if its pid exists: another host, or reused)
    heartbeat_stale_s: float = Field(default=120.0, gt=0)

    alert_timeout_s: float = 30.0  # per send: a slow webhook answering after 6 s is still a delivery
    alert_resend_delay_s: float = 600.0  # an alert whose delivery is unknown is re-sent once, this much later

    max_requests_per_source: int = 5000  # per run: listing, article and table requests of one source
    sitemap_max_depth: int = 3  # sitemap index -> child sitemap levels followed
    sitemap_max_files: int = 50  # child sitemaps followed per source and run
    parse_max_chars: int = 60_000  # longer texts: the leading part is parsed and the article flagged
    list_max_attempts: int = Field(default=5, ge=1)  # a list page failing this many runs in a row is given up
    list_retry_base_s: float = Field(default=900.0, ge=0)  # back-off of a failed list page after its first retry
    parse_budget_s: float = 30.0  # per article; an overrun is a recorded parse failure, not a stuck run
    parse_batch_size: int = Field(default=500, ge=1, description="articles per parse batch (parse and reparse loop)")
    resolve_max_candidates: int = Field(default=200, ge=1, description="stored projects one record is compared with")
    workbook_max_rows: int = Field(default=200_000, ge=1, le=1_048_575,
                                   description="rows per workbook sheet; a longer sheet stays in CSV/Parquet only")
    # the workbook is the costly file (every cell of every row, ~30 s per 100k rows here): past this many rows in
    # all, runs rewrite it at most every workbook_refresh_hours (CSV, Parquet and the report stay per run)
    workbook_refresh_hours: float = Field(default=24.0, ge=0, description="0: every run that changes the data")
    workbook_every_run_below_rows: int = Field(default=50_000, ge=0,
                                               description="a smaller dataset's workbook is rewritten every run")

    def model_post_init(self, _context: object) -> None:
        # the database and Redis passwords are masked by value wherever they could be printed or stored
        from sqlalchemy.engine import make_url

        from alerts.redact import register_secrets

        for secret in (self.database_url, self.redis_url):
            if secret is not None:
                try:
                    register_secrets([make_url(secret.get_secret_value()).password])
                except Exception:  # noqa: BLE001 - an unparsable URL fails later, where it is used, with its cause
                    continue

    def db_url(self) -> str:
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.data_dir / 'investwatch.db').resolve()}"
