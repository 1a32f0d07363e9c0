"""Crawler traps added to the sample site by the "traps" variant (issue 3)."""

from __future__ import annotations

from pressroom.sample_site.model import SampleSite


def add_traps(site: SampleSite) -> None:
    raise NotImplementedError("the traps variant is not built yet")
