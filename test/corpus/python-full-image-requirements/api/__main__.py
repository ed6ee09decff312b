import lxml.etree

print(lxml.etree.LXML_VERSION)
