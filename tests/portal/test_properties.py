"""Property-based tests: any input gives a form error or a success, never a crash."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.forms import MAIL_KINDS, SettingsForm
from portal.uploads import EVIDENCE, safe_name, sniff, validate_upload

names = st.text(min_size=0, max_size=300)


@given(name=names)
def test_safe_name_never_contains_path_separators_or_controls(name):
    cleaned = safe_name(name)
    assert cleaned
    assert "/" not in cleaned and "\\" not in cleaned
    assert not any(ord(c) < 32 for c in cleaned)
    assert len(cleaned) <= 120


@given(content=st.binary(min_size=0, max_size=4096), name=names)
@settings(max_examples=200)
def test_validate_upload_accepts_or_refuses_cleanly(content, name):
    upload = SimpleUploadedFile(safe_name(name), content)
    try:
        mime = validate_upload(upload, EVIDENCE)
    except ValidationError as err:
        assert err.code in {"empty", "too_large", "bad_type", "mismatch"}
    else:
        assert mime in {m for k in EVIDENCE for m in k.mimes}


@given(content=st.binary(max_size=2048))
def test_sniff_never_crashes(content):
    sniff(io.BytesIO(content))


@pytest.mark.django_db
@given(
    first=st.text(max_size=200),
    last=st.text(max_size=200),
    language=st.sampled_from(["nl", "en", "de", "", "x" * 10]),
    kinds=st.lists(st.sampled_from([k for k, _l in MAIL_KINDS] + ["onzin"]), max_size=5),
)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_settings_form_is_valid_or_has_errors(cast, first, last, language, kinds):
    form = SettingsForm(
        {"first_name": first, "last_name": last, "language": language, "mail_kinds": kinds},
        instance=cast.coach,
    )
    if form.is_valid():
        assert form.cleaned_data["language"] in {"nl", "en"}
        assert set(form.muted_kinds) <= {k for k, _l in MAIL_KINDS}
    else:
        assert form.errors
