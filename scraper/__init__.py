"""The pressroom Scrapy project: discover and fetch press releases into the raw table."""
