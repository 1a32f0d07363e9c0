"""A bundled, generated WordPress-style NGO press room with its ground truth.

`generate_site()` builds it in memory (deterministic for a seed); `server.serve_sample()`
serves it on 127.0.0.1 for crawls and tests; `dump.write_dump()` writes the same releases
as a flat text dump shaped like the seed sample.
"""

from pressroom.sample_site.generator import generate_site
from pressroom.sample_site.model import ReleaseTruth, SamplePage, SampleSite

__all__ = ["generate_site", "ReleaseTruth", "SamplePage", "SampleSite"]
