"""Scrapy settings of the pressroom crawler (own settings are prefixed PRESSROOM_)."""

BOT_NAME = "pressroom"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"
ROBOTSTXT_OBEY = True
