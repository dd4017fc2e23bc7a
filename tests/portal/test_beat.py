"""The beat schedule names only tasks that exist, so a renamed task cannot silently stop a
periodic job (reminders, mail retries, purges, the PDF safety net)."""

from lev.celery import app


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    missing = {
        name: entry["task"]
        for name, entry in app.conf.beat_schedule.items()
        if entry["task"] not in app.tasks
    }
    assert missing == {}


def test_the_pdf_safety_net_runs_every_ten_minutes():
    entry = app.conf.beat_schedule["bekwaamheid-pdf-opnieuw"]
    assert entry["task"] == "bekwaamheid.tasks.requeue_stuck_pdfs"
    assert entry["schedule"].minute == {0, 10, 20, 30, 40, 50}
