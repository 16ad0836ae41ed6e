// XLSXReader: Excel workbooks (zip archives of XML parts) read sheet by sheet as records.
