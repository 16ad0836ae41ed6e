// XMLReader: streaming XML records through libxml2 (CLibXML2), with inspection of a file's structure.
