"""Configuration: the YAML file, the environment, and errors that name the key and the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_assistant.errors import ConfigError
from data_assistant.settings import load_settings, source_name_for_url


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "data-assistant.yaml"
    path.write_text(text)
    return path


def test_a_full_config_is_read_with_defaults_filled(tmp_path):
    path = write(
        tmp_path,
        """
base_url: https://data.example.com
sources:
  sales:
    url: sqlite:///sales.db
    description: Sales data
    denied_tables: [salaries]
translator:
  provider: openai
  model: gpt-4.1-mini
  api_key: ${MY_KEY}
manifest:
  name_for_human: Sales
""",
    )
    settings = load_settings(path, environ={"MY_KEY": "sk-123"})
    source = settings.sources["sales"]
    assert (source.max_rows, source.timeout_s, source.kind) == (100, 15.0, "sql")
    assert source.denied_tables == ["salaries"]
    assert settings.translator.api_key == "sk-123"
    assert settings.translator.model == "gpt-4.1-mini"
    assert settings.manifest.name_for_human == "Sales"
    assert settings.base_url == "https://data.example.com"


def test_env_interpolation_has_defaults(tmp_path):
    path = write(tmp_path, "sources:\n  a:\n    url: ${DB_URL:-sqlite:///a.db}\n")
    assert load_settings(path, environ={}).sources["a"].url == "sqlite:///a.db"


def test_environment_variables_override_the_file(tmp_path):
    path = write(tmp_path, "debug: false\nsources:\n  a:\n    url: sqlite:///a.db\n")
    env = {"DATA_ASSISTANT_DEBUG": "true", "DATA_ASSISTANT_SOURCES__A__MAX_ROWS": "7"}
    settings = load_settings(path, environ=env)
    assert settings.debug is True
    assert settings.sources["a"].max_rows == 7


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("sources:\n  a:\n    url: x\n    max_rows: lots\n", {}, "sources.a.max_rows"),
        ("sources:\n  a:\n    url: x\n    timeout_s: -1\n", {}, "sources.a.timeout_s"),
        ("sources:\n  a:\n    max_rows: 5\n", {}, "sources.a.url"),
        ("sources:\n  a:\n    url: x\n    colour: red\n", {}, "sources.a.colour"),
        ("translator:\n  provider: watson\n", {}, "translator.provider"),
        ("sources:\n  a:\n    url: ${NOPE}\n", {}, "sources.a.url: environment variable NOPE"),
        ("manifest:\n  name_for_model: has spaces\n", {}, "manifest.name_for_model"),
        ("sources: [\n", {}, "line"),
        ("- just\n- a list\n", {}, "top level"),
    ],
    ids=[
        "not a number",
        "negative",
        "missing url",
        "unknown key",
        "unknown provider",
        "unset variable",
        "bad model name",
        "broken yaml",
        "not a mapping",
    ],
)
def test_a_bad_config_names_the_key_and_the_file(tmp_path, text, env, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ=env)
    message = caught.value.reason
    assert str(path) in message
    assert expected in message
    assert "\n" not in message and "Traceback" not in message


def test_a_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.yaml"):
        load_settings(tmp_path / "nope.yaml", environ={})


def test_the_config_file_can_come_from_the_environment(tmp_path):
    path = write(tmp_path, "sources:\n  a:\n    url: sqlite:///a.db\n")
    settings = load_settings(None, environ={"DATA_ASSISTANT_CONFIG": str(path)})
    assert list(settings.sources) == ["a"]
    assert settings.config_file == path


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("sqlite:///data/sales.db", "sales"),
        ("sqlite:////abs/path/my-shop.sqlite", "my-shop"),
        ("postgresql://u:p@localhost:5432/warehouse", "warehouse"),
        ("mysql://root@127.0.0.1/test", "test"),
    ],
)
def test_a_db_url_is_named_after_its_file_or_database(url, name):
    assert source_name_for_url(url) == name


def test_db_urls_become_sources_without_a_config(tmp_path):
    settings = load_settings(None, dbs=["sqlite:///x/a.db", "sqlite:///y/b.db"], environ={})
    assert sorted(settings.sources) == ["a", "b"]


@pytest.mark.parametrize(
    ("env", "provider", "model"),
    [
        ({}, "offline", None),
        ({"OPENAI_API_KEY": "k"}, "openai", "gpt-4o-mini"),
        ({"OPENAI_API_KEY": "k", "DATA_ASSISTANT_MODEL": "gpt-5"}, "openai", "gpt-5"),
        (
            {"OPENAI_BASE_URL": "http://localhost:11434/v1", "DATA_ASSISTANT_MODEL": "llama3"},
            "openai",
            "llama3",
        ),
        (
            {
                "AZURE_OPENAI_ENDPOINT": "https://x.openai.azure.com",
                "AZURE_OPENAI_API_KEY": "k",
                "OPENAI_API_VERSION": "2024-10-21",
                "DATA_ASSISTANT_MODEL": "gpt4o",
            },
            "azure",
            "gpt4o",
        ),
    ],
    ids=["nothing", "openai key", "model chosen", "compatible base url", "azure"],
)
def test_the_llm_comes_from_the_sdks_own_environment_variables(env, provider, model):
    settings = load_settings(None, dbs=["sqlite:///a.db"], environ=env)
    assert settings.translator.provider == provider
    assert settings.translator.model == model


def test_azure_without_an_api_version_fails_at_start():
    env = {"AZURE_OPENAI_ENDPOINT": "https://x.openai.azure.com"}
    with pytest.raises(ConfigError, match="api_version"):
        load_settings(None, dbs=["sqlite:///a.db"], environ=env)


def test_an_unknown_database_kind_fails_at_start_with_close_matches(tmp_path):
    from data_assistant.pipeline import Assistant

    path = write(tmp_path, "sources:\n  a:\n    url: postgress://localhost/x\n")
    with pytest.raises(ConfigError) as caught:
        Assistant(load_settings(path, environ={}))
    assert "sources.a.url" in caught.value.reason
    assert "postgresql" in caught.value.reason
    assert str(path) in caught.value.reason


def test_other_data_assistant_variables_are_not_taken_for_settings(tmp_path):
    path = write(tmp_path, "sources:\n  a:\n    url: sqlite:///a.db\n")
    env = {"DATA_ASSISTANT_REQUIRE_SERVERS": "1", "DATA_ASSISTANT_MODEL": "m"}
    assert list(load_settings(path, environ=env).sources) == ["a"]
