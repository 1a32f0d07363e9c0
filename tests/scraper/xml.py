"""A document prolog declaring an external entity: feeds and sitemaps must not resolve it."""

XXE_PROLOG = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
