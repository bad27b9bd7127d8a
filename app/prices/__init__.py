"""Price refresh: new price sheets from the Azure Retail Prices API, with provenance and a diff.

`client` fetches pages (paging, retries, timeouts), `queries` says what to ask, `meters` and `units`
read meter names and units, `mapping` turns API items into sheet prices, `sheets` builds the new
sheets from the current ones, `diff` compares sheets, `output` writes them, and `refresh` runs it all.
"""
