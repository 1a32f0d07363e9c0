"""Pass 1, per page: HTML or a dump into a Document of typed blocks, with the page's own metadata."""
