"""The public pages a voter reaches by scanning a QR code (no login, phone first): a station's
page and a representative's card; and the printable QR posters staff make for them."""
