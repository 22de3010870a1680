"""AppTest for the Data page: load report, mapping, rejected/flagged rows, shared filters."""

from __future__ import annotations

from tests.apptest import page


def test_data_page_shows_the_load_report_for_the_demo():
    at = page("pages/8_Data.py").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Rows in file": "205,000", "Loaded": "205,000", "Rejected": "0", "Creators": "205,000",
                       "Flagged": metrics["Flagged"]}
    assert any("Synthetic demo data" in str(i.value) for i in at.info)
    assert any("Every row loaded" in str(s.value) for s in at.success)
    mapping = next(d.value for d in at.dataframe if "Read from" in d.value.columns)
    assert mapping.set_index("Column").loc["followers", "Read from"] == "followers"
    demo = next(e for e in at.expander if e.label.startswith("How the synthetic demo"))
    assert "The model" in demo.markdown[0].value


def test_data_page_applies_the_shared_filters():
    at = page("pages/8_Data.py", platform="youtube").run()
    assert not at.exception
    assert at.multiselect(key="platform").value == ["youtube"]
    preview = [d.value for d in at.dataframe if "platform" in d.value.columns][-1]  # after the flagged rows
    assert set(preview["platform"]) == {"youtube"}
    text = " ".join(str(m.value) for m in at.markdown)
    assert "of 205,000 loaded creators match" in text
