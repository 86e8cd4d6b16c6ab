"""The demo sales database: a deterministic, realistic SQLite file built from a seed.

Tables: regions, customers, categories, products, orders, order_items. Orders span
2023-01-01 .. 2025-12-31 with yearly growth, a Q4 peak, Pareto-like customer activity and
Zipf-like product popularity. The data is "as of" 2025-12-31: recent orders are still
pending or shipped, older ones delivered, some cancelled or returned.

Revenue of a line is `quantity * unit_price * (1 - discount)`; `order_items.unit_price` is
the price paid then, which is higher than today's `products.unit_price` for older orders.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import sqlite3
import tempfile
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from math import sqrt
from pathlib import Path
from typing import Any

DEMO_SEED = 42

FIRST_DAY = date(2023, 1, 1)
LAST_DAY = date(2025, 12, 31)

REGION_NAMES = (
    "North America",
    "Europe",
    "Asia Pacific",
    "Latin America",
    "Middle East & Africa",
)
SEGMENTS = ("Consumer", "Corporate", "Small Business")
STATUSES = ("pending", "shipped", "delivered", "cancelled", "returned")
CHANNELS = ("web", "store", "partner")

SCHEMA = """
CREATE TABLE regions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    country TEXT NOT NULL,
    city TEXT,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    segment TEXT NOT NULL,
    created_at DATE NOT NULL
);
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT
);
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    unit_price NUMERIC NOT NULL,
    cost NUMERIC NOT NULL,
    is_discontinued INTEGER NOT NULL DEFAULT 0,
    launched_at DATE
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    order_date DATE NOT NULL,
    status TEXT NOT NULL,
    shipped_date DATE,
    shipping_cost NUMERIC NOT NULL,
    channel TEXT NOT NULL
);
CREATE TABLE order_items (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    product_id INTEGER NOT NULL REFERENCES products(id),
    quantity INTEGER NOT NULL,
    unit_price NUMERIC NOT NULL,
    discount REAL NOT NULL DEFAULT 0
);
"""

INDEXES = """
CREATE INDEX idx_customers_region_id ON customers(region_id);
CREATE INDEX idx_products_category_id ON products(category_id);
CREATE INDEX idx_orders_customer_id ON orders(customer_id);
CREATE INDEX idx_orders_order_date ON orders(order_date);
CREATE INDEX idx_order_items_order_id ON order_items(order_id);
CREATE INDEX idx_order_items_product_id ON order_items(product_id);
"""

N_CUSTOMERS = 2_000
N_ORDERS = 30_000  # at ~2.2 lines an order, ~65k order_items


def _table(text: str) -> list[list[str]]:
    """Rows of a `|`-separated text table.

    An indented line continues the row above: with more cells if it starts with `|`,
    else the text of its last cell.
    """
    rows: list[list[str]] = []
    for line in text.strip("\n").splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if not line.startswith(" "):
            rows.append(cells)
        elif cells[0]:
            rows[-1][-1] += " " + line.strip()
        else:
            rows[-1].extend(cells[1:])
    return rows


def _items(cell: str, sep: str = ",") -> tuple[str, ...]:
    return tuple(item.strip() for item in cell.split(sep) if item.strip())


# Tables as text: the data stays readable and the formatter leaves it alone.
# country | region | share of customers | naming culture | mail TLD | legal forms
#     | cities, biggest first
_COUNTRY_TABLE = """
USA                  | North America        | 30   | en | com    | Inc.; LLC; Corp.
    | New York, Los Angeles, Chicago, Houston, Seattle, Austin, Boston, San Francisco,
    Denver, Atlanta
Canada               | North America        | 6    | en | ca     | Inc.; Ltd.
    | Toronto, Vancouver, Montreal, Calgary, Ottawa
Germany              | Europe               | 10   | de | de     | GmbH; AG; GmbH & Co. KG
    | Berlin, Munich, Hamburg, Frankfurt, Cologne, Stuttgart
UK                   | Europe               | 9    | en | co.uk  | Ltd; plc
    | London, Manchester, Birmingham, Edinburgh, Leeds, Bristol
France               | Europe               | 6    | fr | fr     | SAS; SARL
    | Paris, Lyon, Marseille, Toulouse, Lille
Netherlands          | Europe               | 3.5  | nl | nl     | B.V.
    | Amsterdam, Rotterdam, Utrecht, Eindhoven
Spain                | Europe               | 3    | es | es     | S.L.; S.A.
    | Madrid, Barcelona, Valencia, Seville
Italy                | Europe               | 3    | it | it     | S.r.l.; S.p.A.
    | Milan, Rome, Turin, Bologna
Sweden               | Europe               | 1.8  | sv | se     | AB
    | Stockholm, Gothenburg, Malmo
Poland               | Europe               | 1.6  | pl | pl     | Sp. z o.o.
    | Warsaw, Krakow, Wroclaw
Switzerland          | Europe               | 1.4  | de | ch     | AG; GmbH
    | Zurich, Geneva, Basel
Ireland              | Europe               | 1    | en | ie     | Ltd
    | Dublin, Cork
Japan                | Asia Pacific         | 5    | ja | co.jp  | K.K.
    | Tokyo, Osaka, Yokohama, Nagoya
Australia            | Asia Pacific         | 4    | en | com.au | Pty Ltd
    | Sydney, Melbourne, Brisbane, Perth
India                | Asia Pacific         | 3.5  | in | in     | Pvt Ltd
    | Bengaluru, Mumbai, New Delhi, Hyderabad, Pune
Singapore            | Asia Pacific         | 2    | sg | sg     | Pte Ltd
    | Singapore
South Korea          | Asia Pacific         | 1.8  | ko | co.kr  | Co., Ltd.
    | Seoul, Busan
New Zealand          | Asia Pacific         | 0.6  | en | co.nz  | Ltd
    | Auckland, Wellington
Brazil               | Latin America        | 3    | pt | com.br | Ltda.
    | Sao Paulo, Rio de Janeiro, Belo Horizonte, Curitiba
Mexico               | Latin America        | 2.8  | es | com.mx | S.A. de C.V.
    | Mexico City, Guadalajara, Monterrey
Argentina            | Latin America        | 1    | es | com.ar | S.R.L.; S.A.
    | Buenos Aires, Cordoba
Chile                | Latin America        | 0.7  | es | cl     | SpA
    | Santiago, Valparaiso
Colombia             | Latin America        | 0.6  | es | com.co | S.A.S.
    | Bogota, Medellin
United Arab Emirates | Middle East & Africa | 1.5  | ar | ae     | LLC; FZE
    | Dubai, Abu Dhabi
South Africa         | Middle East & Africa | 1.2  | en | co.za  | (Pty) Ltd
    | Johannesburg, Cape Town, Durban
Israel               | Middle East & Africa | 0.8  | he | co.il  | Ltd
    | Tel Aviv, Haifa
Saudi Arabia         | Middle East & Africa | 0.7  | ar | sa     | LLC
    | Riyadh, Jeddah
Nigeria              | Middle East & Africa | 0.3  | ng | ng     | Ltd
    | Lagos
Egypt                | Middle East & Africa | 0.25 | ar | eg     | S.A.E.
    | Cairo
"""

# naming culture and part | names (ASCII, so questions need no accents)
_NAME_TABLE = """
en first | James, Mary, Robert, Patricia, John, Jennifer, Michael, Linda, David, Elizabeth,
    William, Susan, Daniel, Sarah, Chris, Emily, Matthew, Olivia, Andrew, Emma, Ryan, Hannah
en last  | Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Anderson, Taylor,
    Thomas, Moore, Martin, Jackson, Thompson, White, Harris, Clark, Lewis, Walker, Hall, Young,
    King, Wright, Scott, Green, Baker, Adams, Nelson, Carter
de first | Lukas, Leon, Finn, Jonas, Paul, Felix, Maximilian, Anna, Lena, Laura, Sophie, Marie,
    Julia, Katharina, Stefan, Andreas, Thomas, Sabine, Claudia, Petra
de last  | Mueller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann,
    Koch, Richter, Klein, Wolf, Schroeder, Neumann, Schwarz, Braun, Zimmermann, Hartmann
fr first | Louis, Gabriel, Hugo, Arthur, Jules, Lucas, Camille, Chloe, Lea, Manon, Ines,
    Juliette, Nicolas, Julien, Isabelle, Nathalie
fr last  | Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon,
    Laurent, Lefebvre, Michel, Fontaine, Rousseau, Girard
es first | Alejandro, Carlos, Javier, Diego, Pablo, Miguel, Sofia, Lucia, Maria, Valentina,
    Camila, Isabella, Mateo, Santiago, Daniela, Fernanda
es last  | Garcia, Rodriguez, Martinez, Lopez, Gonzalez, Hernandez, Perez, Sanchez, Ramirez,
    Torres, Flores, Rivera, Gomez, Diaz, Morales, Castro, Ortiz, Romero, Vargas, Ruiz
pt first | Joao, Pedro, Gabriel, Lucas, Rafael, Gustavo, Ana, Beatriz, Mariana, Larissa,
    Juliana, Fernanda, Camila, Bruno, Thiago, Leticia
pt last  | Silva, Santos, Oliveira, Souza, Rodrigues, Ferreira, Alves, Pereira, Lima, Gomes,
    Costa, Ribeiro, Martins, Carvalho, Almeida, Rocha
it first | Marco, Luca, Giuseppe, Francesco, Alessandro, Matteo, Giulia, Chiara, Francesca,
    Sara, Martina, Elena, Paolo, Davide
it last  | Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco,
    Bruno, Gallo, Conti, De Luca, Costa, Giordano
nl first | Daan, Sem, Lucas, Levi, Bram, Thijs, Emma, Julia, Sanne, Lotte, Fleur, Anouk, Jeroen,
    Pieter
nl last  | de Jong, Jansen, de Vries, van den Berg, Bakker, Visser, Smit, Meijer, de Boer,
    Mulder, Bos, Vos
sv first | Erik, Lars, Anders, Johan, Karl, Oskar, Elsa, Astrid, Maja, Ingrid, Sara, Linnea
sv last  | Andersson, Johansson, Karlsson, Nilsson, Eriksson, Larsson, Olsson, Persson,
    Svensson, Lindqvist, Berg, Lund
pl first | Jakub, Kacper, Piotr, Tomasz, Krzysztof, Michal, Anna, Katarzyna, Magdalena,
    Agnieszka, Zofia, Natalia
pl last  | Nowak, Kowalski, Wisniewski, Wojcik, Kowalczyk, Kaminski, Lewandowski, Zielinski,
    Szymanski, Wozniak
ja first | Haruto, Yuto, Sota, Ren, Hiroshi, Takeshi, Yui, Aoi, Sakura, Hina, Yuki, Emi
ja last  | Sato, Suzuki, Takahashi, Tanaka, Watanabe, Ito, Yamamoto, Nakamura, Kobayashi, Kato,
    Yoshida, Yamada
ko first | Min-jun, Seo-yeon, Ji-ho, Ha-eun, Do-yun, Ji-woo, Seo-jun, Soo-ah, Hyun-woo, Ji-min
ko last  | Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon, Jang, Lim
in first | Aarav, Vivaan, Aditya, Arjun, Rohan, Rahul, Priya, Ananya, Diya, Kavya, Neha, Pooja,
    Vikram, Sanjay
in last  | Sharma, Verma, Gupta, Patel, Singh, Kumar, Reddy, Iyer, Nair, Mehta, Joshi, Rao, Das,
    Kapoor
sg first | Wei, Jun, Ming, Hui, Xin, Jia, Kai, Ethan, Rachel, Nicole
sg last  | Tan, Lim, Lee, Ng, Ong, Wong, Goh, Chua, Chan, Koh
ar first | Mohammed, Ahmed, Omar, Ali, Youssef, Khalid, Hassan, Fatima, Aisha, Mariam, Layla,
    Noor, Sara, Hana
ar last  | Al-Sayed, Hassan, Ibrahim, Mansour, Haddad, Khalil, Nasser, Al-Farsi, Saleh, Aziz,
    Rahman, Farouk
he first | Noam, Itai, Yonatan, Ariel, Daniel, Tamar, Noa, Shira, Maya, Yael
he last  | Cohen, Levi, Mizrahi, Peretz, Biton, Friedman, Katz, Shapiro, Azoulay, Ben-David
ng first | Chinedu, Emeka, Oluwaseun, Tunde, Ngozi, Chioma, Aisha, Funmilayo, Ibrahim, Adaeze
ng last  | Okafor, Adeyemi, Okonkwo, Balogun, Nwosu, Eze, Ogunleye, Bello, Abubakar, Olawale
"""

_WORD_TABLE = """
brand words   | Atlas, Summit, Meridian, Northwind, Bluewater, Ironwood, Silverline, Keystone,
    Crestview, Lakeside, Brightpath, Highland, Redwood, Pinnacle, Horizon, Cobalt, Vantage,
    Sterling, Granite, Evergreen, Beacon, Harbor, Quantum, Cedar, Falcon, Riverbend, Oakridge
industries    | Logistics, Consulting, Engineering, Analytics, Solutions, Systems, Media, Health,
    Partners, Manufacturing, Labs, Capital, Foods, Energy, Technologies, Group, Insurance, Retail
small trades  | Bakery, Dental Clinic, Print Shop, Coffee Roasters, Bookkeeping, Photography,
    Florist, Auto Repair, Yoga Studio, Architects, Law Office, Veterinary Clinic, Design Studio,
    Pharmacy, Travel Agency, Bike Shop, Accounting, Interiors
mail domains  | gmail.com, outlook.com, yahoo.com, icloud.com, hotmail.com, proton.me
mail roles    | info, sales, purchasing, it, accounts, office, orders
"""

# category | popularity | cost as share of price | bulk buy | products | brands
_CATEGORY_TABLE = """
Laptops     | 0.7 | 0.72 0.85 | no  | 22 | Apex, Nimbus, Vertex, Orion
Monitors    | 1.0 | 0.65 0.80 | no  | 18 | Lumen, ClearView, Pixelon
Accessories | 3.0 | 0.35 0.55 | yes | 30 | Kestrel, Flux, Basis
Audio       | 1.6 | 0.45 0.65 | no  | 20 | Sonora, Echo, Pulse
Phones      | 0.7 | 0.70 0.82 | no  | 16 | Nova, Zephyr, Kite
Tablets     | 0.6 | 0.68 0.80 | no  | 12 | Nova, Slate, Orion
Networking  | 0.8 | 0.50 0.70 | yes | 16 | Meshwave, Linkton, Corenet
Software    | 1.2 | 0.10 0.30 | yes | 16 | Brightsoft, Quill, Sentinel
"""
_CATEGORY_DESCRIPTIONS = {
    "Laptops": "Notebooks, ultrabooks and workstations for home and business",
    "Monitors": "Desktop displays from office panels to 4K and ultrawide",
    "Accessories": "Keyboards, mice, cables, chargers, docks, stands and bags",
    "Audio": "Headphones, earbuds, speakers and conference audio",
    "Phones": "Smartphones from budget models to flagships and foldables",
    "Tablets": "Tablets for media, drawing and work",
    "Networking": "Routers, mesh Wi-Fi, switches and access points",
    "Software": "Licences and subscriptions: office, security, backup, creative",
}
# category | model = typical price; products are brand x model pairs
_MODEL_TABLE = """
Laptops     | Chromebook 14 = 349, WorkBook 15 = 749, AirLite 13 = 899, AirLite 15 = 1049,
    ProBook 14 = 1299, ProBook 16 = 1599, Creator 16 OLED = 2399, Titan 17 Gaming = 2799
Monitors    | Office 24 FHD = 149, Portable 16 = 229, Office 27 QHD = 249, Gaming 27 165Hz = 379,
    Studio 27 4K = 449, UltraWide 34 = 649, Pro 32 4K = 799
Accessories | HDMI Cable 2m = 12, USB-C Cable 2m = 15, Mouse Pad XL = 19, Wireless Mouse = 29,
    65W USB-C Charger = 39, Laptop Stand = 45, Slim Keyboard = 49, USB-C Hub 7-in-1 = 49,
    Power Bank 20000mAh = 49, Ergo Mouse = 59, Webcam 1080p = 69, Laptop Backpack = 79,
    Mechanical Keyboard = 119, Thunderbolt Dock = 249
Audio       | Earbuds = 59, USB Headset = 69, Bluetooth Speaker = 89, Earbuds Pro ANC = 179,
    Studio Headphones = 199, Conference Speakerphone = 249, Over-Ear ANC = 299, Soundbar = 349
Phones      | Lite = 249, A5 = 349, A7 = 499, X = 799, X Pro = 1099, Fold = 1799
Tablets     | Tab 11 Kids = 179, Tab 10 = 229, Tab Mini 8 = 299, Tab 11 Plus = 399,
    Tab Pro 12.9 = 999
Networking  | USB Wi-Fi Adapter = 29, 8-Port Gigabit Switch = 39, Powerline Kit = 79,
    Wi-Fi 6 Router = 129, Access Point AX3000 = 179, 24-Port Managed Switch = 329,
    Wi-Fi 6E Mesh 3-Pack = 399, Firewall Appliance = 549
Software    | Antivirus 1-Year = 39, Internet Security 3-Device = 69, PDF Editor = 79,
    Office Suite Home = 99, Backup Cloud 1TB = 99, Photo Editor Pro = 149, Video Studio = 199,
    Office Suite Business = 249
"""


@dataclass(frozen=True)
class _Country:
    name: str
    region_id: int
    weight: float
    names: str
    tld: str
    legal_forms: tuple[str, ...]
    cities: tuple[str, ...]


@dataclass(frozen=True)
class _Category:
    id: int
    name: str
    weight: float
    margin: tuple[float, float]
    bulk: bool
    count: int
    brands: tuple[str, ...]
    models: tuple[tuple[str, int], ...]


def _load_countries() -> tuple[_Country, ...]:
    region_ids = {name: i for i, name in enumerate(REGION_NAMES, start=1)}
    return tuple(
        _Country(name, region_ids[region], float(w), names, tld, _items(forms, ";"), _items(cities))
        for name, region, w, names, tld, forms, cities in _table(_COUNTRY_TABLE)
    )


def _load_categories() -> tuple[_Category, ...]:
    models = {}
    for category, cell in _table(_MODEL_TABLE):
        pairs = (item.rsplit("=", 1) for item in _items(cell))
        models[category] = tuple((model.strip(), int(price)) for model, price in pairs)
    categories = []
    for i, (name, w, margin, bulk, count, brands) in enumerate(_table(_CATEGORY_TABLE), 1):
        low, high = (float(x) for x in margin.split())
        brand_names, bulk_buy = _items(brands), bulk == "yes"
        categories.append(
            _Category(
                i, name, float(w), (low, high), bulk_buy, int(count), brand_names, models[name]
            )
        )
    return tuple(categories)


_COUNTRIES = _load_countries()
_CATEGORIES = _load_categories()
_NAMES = {key: _items(cell) for key, cell in _table(_NAME_TABLE)}
_WORDS = {key: _items(cell) for key, cell in _table(_WORD_TABLE)}

COUNTRY_NAMES = tuple(c.name for c in _COUNTRIES)
CATEGORY_NAMES = tuple(c.name for c in _CATEGORIES)


class _Weighted:
    """A fixed weighted choice; cumulative weights computed once keep the hot loop cheap."""

    def __init__(self, values: Sequence[Any], weights: Sequence[float]) -> None:
        self.values = tuple(values)
        self.cum = list(accumulate(weights))
        self.last = len(self.cum) - 1

    def pick(self, rng: random.Random) -> Any:
        return self.values[bisect_right(self.cum, rng.random() * self.cum[-1], 0, self.last)]


# Order volume by month: a soft start of the year, a strong November and December.
_MONTH_FACTOR = (0.8, 0.75, 0.9, 0.9, 0.95, 0.95, 0.9, 1.0, 1.0, 1.1, 1.45, 1.6)
_YEARLY_GROWTH = 1.3
# Older orders paid more: electronics list prices drift down.
_PRICE_BY_YEAR = {2023: 1.06, 2024: 1.03, 2025: 1.0}
_LINES = _Weighted((1, 2, 3, 4, 5, 6, 7, 8), (40, 28, 17, 9, 3, 2, 0.6, 0.4))
_SEGMENT = _Weighted(SEGMENTS, (55, 25, 20))
_CHANNEL = {
    "Consumer": _Weighted(CHANNELS, (70, 25, 5)),
    "Corporate": _Weighted(CHANNELS, (35, 5, 60)),
    "Small Business": _Weighted(CHANNELS, (55, 25, 20)),
}
_DISCOUNT_CHANCE = {"Consumer": 0.15, "Small Business": 0.25, "Corporate": 0.45}
_DISCOUNT = _Weighted((0.05, 0.1, 0.15, 0.2, 0.25, 0.3), (30, 30, 15, 12, 8, 5))
_BULK_QTY = _Weighted((1, 2, 3, 4, 5, 10), (50, 20, 10, 7, 5, 3))
_SINGLE_QTY = _Weighted((1, 2, 3), (80, 15, 5))
# Days from order to dispatch (a few wait for back-ordered stock), then to delivery.
_DISPATCH = _Weighted((0, 1, 2, 3, 4, 5, 7, 10, 14), (5, 30, 25, 15, 8, 6, 5, 4, 2))
_TRANSIT = _Weighted((1, 2, 3, 4, 5, 6, 8, 10), (8, 22, 25, 17, 10, 8, 6, 4))


@dataclass(frozen=True)
class _Product:
    id: int
    category: _Category
    prices: dict[int, float]  # price paid, by order year
    launched: int  # date ordinals
    last_sold: int


def generate_sales_db(path: Path, *, seed: int = DEMO_SEED) -> Path:
    """Write a fresh demo sales database to `path` atomically and return `path`.

    The same seed always gives the same rows.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        con = sqlite3.connect(tmp)
        try:
            # Nothing to protect while building a throwaway file: skip journal and fsyncs.
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            with con:
                _build(con, random.Random(seed))
            con.execute("ANALYZE")
            # Any mode but WAL lets readers open the file with mode=ro and no sidecar files.
            con.execute("PRAGMA journal_mode=DELETE")
        finally:
            con.close()
        tmp.chmod(0o644)  # mkstemp makes the file private; the database is public demo data
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def ensure_demo_db(data_dir: Path) -> Path:
    """Return `data_dir/sales.db`, generating it with the demo seed if it is missing."""
    path = Path(data_dir) / "sales.db"
    if not path.exists():
        generate_sales_db(path)
    return path


def _build(con: sqlite3.Connection, rng: random.Random) -> None:
    con.executescript(SCHEMA)
    day_weights = _day_weights()
    con.executemany("INSERT INTO regions VALUES (?, ?)", list(enumerate(REGION_NAMES, 1)))
    customers = _customers(rng, day_weights)
    con.executemany("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?, ?)", customers)
    con.executemany(
        "INSERT INTO categories VALUES (?, ?, ?)",
        [(c.id, c.name, _CATEGORY_DESCRIPTIONS[c.name]) for c in _CATEGORIES],
    )
    product_rows, products = _products(rng)
    con.executemany("INSERT INTO products VALUES (?, ?, ?, ?, ?, ?, ?)", product_rows)
    orders, items = _orders(rng, day_weights, customers, products)
    con.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?)", orders)
    con.executemany("INSERT INTO order_items VALUES (?, ?, ?, ?, ?, ?)", items)
    con.executescript(INDEXES)


def _day_weights() -> list[float]:
    """Relative order volume of each day from FIRST_DAY to LAST_DAY."""
    weights = []
    for i in range((LAST_DAY - FIRST_DAY).days + 1):
        d = FIRST_DAY + timedelta(days=i)
        w = _YEARLY_GROWTH ** (i / 365.25) * _MONTH_FACTOR[d.month - 1]
        if d.weekday() >= 5:
            w *= 0.75
        if (d.month == 11 and d.day >= 24) or (d.month == 12 and d.day <= 3):
            w *= 1.6  # Black Friday to Cyber Monday
        if (d.month, d.day) in ((12, 25), (12, 26), (1, 1)):
            w *= 0.4
        weights.append(w)
    return weights


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _customers(rng: random.Random, day_weights: list[float]) -> list[tuple]:
    countries = _Weighted(_COUNTRIES, [c.weight for c in _COUNTRIES])
    signup_days = _Weighted(range(len(day_weights)), day_weights)
    first_ord = FIRST_DAY.toordinal()
    # A third signed up before the order history starts; the rest join as the business grows.
    early_days = (FIRST_DAY - date(2020, 1, 1)).days
    signups = sorted(
        first_ord - 1 - rng.randrange(early_days)
        if rng.random() < 0.3
        else first_ord + signup_days.pick(rng)
        for _ in range(N_CUSTOMERS)
    )  # sorted so that ids grow with sign-up dates, as autoincrement ids do

    rows: list[tuple] = []
    used_names: set[str] = set()
    used_mails: set[str] = set()
    for cid, signup in enumerate(signups, start=1):
        country = countries.pick(rng)
        segment = _SEGMENT.pick(rng)
        city = rng.choices(country.cities, [1 / (i + 1) for i in range(len(country.cities))])[0]
        firsts, lasts = _NAMES[f"{country.names} first"], _NAMES[f"{country.names} last"]
        if segment == "Consumer":
            first, last = rng.choice(firsts), rng.choice(lasts)
            name = f"{first} {last}"
            local = f"{_slug(first)}.{_slug(last)}"
            domain = rng.choice(_WORDS["mail domains"])
        else:
            name, brand = _company_name(rng, segment, country, city, lasts, used_names)
            local = rng.choice(_WORDS["mail roles"])
            domain = f"{_slug(brand)}.{country.tld}"
        email = f"{local}@{domain}"
        while email in used_mails:
            email = f"{local}{rng.randrange(1, 100)}@{domain}"
        used_mails.add(email)
        # A few blanks, as real CRMs have.
        email_or_none = email if rng.random() > 0.04 else None
        city_or_none = city if rng.random() > 0.02 else None
        rows.append(
            (
                cid,
                name,
                email_or_none,
                country.name,
                city_or_none,
                country.region_id,
                segment,
                date.fromordinal(signup).isoformat(),
            )
        )
    return rows


def _company_name(
    rng: random.Random,
    segment: str,
    country: _Country,
    city: str,
    lasts: Sequence[str],
    used: set[str],
) -> tuple[str, str]:
    """A company name not used yet, and the part of it that makes its mail domain."""
    for _ in range(100):
        if segment == "Corporate":
            roll = rng.random()
            if roll < 0.55:
                stem = rng.choice(_WORDS["brand words"])
            elif roll < 0.85:
                stem = rng.choice(lasts)
            else:
                stem = f"{rng.choice(lasts)} & {rng.choice(lasts)}"
            brand = f"{stem} {rng.choice(_WORDS['industries'])}"
            name = f"{brand} {rng.choice(country.legal_forms)}"
        else:
            roll = rng.random()
            trade = rng.choice(_WORDS["small trades"])
            if roll < 0.4:
                brand = f"{rng.choice(lasts)} {trade}"
            elif roll < 0.7:
                brand = f"{rng.choice(_WORDS['brand words'])} {trade}"
            else:
                brand = f"{city} {trade}"
            name = brand
        if name not in used:
            used.add(name)
            return name, brand
    raise RuntimeError("ran out of company names")  # pragma: no cover


def _products(rng: random.Random) -> tuple[list[tuple], list[_Product]]:
    rows: list[tuple] = []
    products: list[_Product] = []
    first_ord, last_ord = FIRST_DAY.toordinal(), LAST_DAY.toordinal()
    for cat in _CATEGORIES:
        combos = [(b, m, p) for m, p in cat.models for b in cat.brands]
        for brand, model, typical in rng.sample(combos, cat.count):
            # List prices end in .99, as shop prices do.
            price = round(max(round(typical * rng.uniform(0.85, 1.2)), 2) - 0.01, 2)
            cost = round(price * rng.uniform(*cat.margin), 2)
            # Most of the range predates the order history; a quarter launches during it.
            if rng.random() < 0.75:
                launched = date(2019, 1, 1).toordinal() + rng.randrange(4 * 365)
            else:
                launched = first_ord + rng.randrange(33 * 30)
            discontinued = launched < date(2022, 1, 1).toordinal() and rng.random() < 0.3
            last_sold = first_ord + rng.randrange(180, 900) if discontinued else last_ord
            pid = len(rows) + 1
            rows.append(
                (
                    pid,
                    f"{brand} {model}",
                    cat.id,
                    price,
                    cost,
                    int(discontinued),
                    date.fromordinal(launched).isoformat(),
                )
            )
            prices = {year: round(price * f, 2) for year, f in _PRICE_BY_YEAR.items()}
            products.append(_Product(pid, cat, prices, launched, last_sold))
    return rows, products


def _orders(
    rng: random.Random,
    day_weights: list[float],
    customers: list[tuple],
    products: list[_Product],
) -> tuple[list[tuple], list[tuple]]:
    # Pareto activity, capped so no single account dominates; companies buy more often.
    activity = [
        min(rng.paretovariate(1.3), 30.0) * (2.5 if c[6] == "Corporate" else 1.0) for c in customers
    ]
    cum_activity = list(accumulate(activity))
    signups = [date.fromisoformat(c[7]).toordinal() for c in customers]
    # Zipf popularity over a shuffled ranking, scaled by how popular the category is.
    ranks = list(range(1, len(products) + 1))
    rng.shuffle(ranks)
    popularity = _Weighted(
        products, [p.category.weight / r**0.75 for p, r in zip(products, ranks, strict=True)]
    )
    first_ord, last_ord = FIRST_DAY.toordinal(), LAST_DAY.toordinal()
    iso = {d: date.fromordinal(d).isoformat() for d in range(first_ord, last_ord + 1)}
    scale = N_ORDERS / sum(day_weights)

    orders: list[tuple] = []
    items: list[tuple] = []
    for i, w in enumerate(day_weights):
        day = first_ord + i
        when = date.fromordinal(day)
        peak = when.month == 12 or (when.month == 11 and when.day >= 20)
        eligible = bisect_right(signups, day)
        total_activity = cum_activity[eligible - 1]
        lam = w * scale
        for _ in range(max(0, round(rng.gauss(lam, sqrt(lam))))):
            c = bisect_right(cum_activity, rng.random() * total_activity, 0, eligible - 1)
            customer_id, segment = customers[c][0], customers[c][6]
            order_id = len(orders) + 1
            lines: list[tuple] = []
            subtotal = 0.0
            chosen: set[int] = set()
            for _ in range(_LINES.pick(rng)):
                product = _pick_product(rng, popularity, day, chosen)
                if product is None:
                    continue
                qty = _quantity(rng, product.category.bulk, segment)
                price = product.prices[when.year]
                discount = _discount(rng, segment, peak)
                subtotal += qty * price * (1 - discount)
                lines.append(
                    (len(items) + len(lines) + 1, order_id, product.id, qty, price, discount)
                )
            if not lines:
                continue
            items.extend(lines)
            channel = _CHANNEL[segment].pick(rng)
            status, shipped = _fulfilment(rng, channel, day, last_ord, peak)
            orders.append(
                (
                    order_id,
                    customer_id,
                    iso[day],
                    status,
                    iso[shipped] if shipped else None,
                    _shipping_cost(rng, channel, subtotal),
                    channel,
                )
            )
    return orders, items


def _pick_product(
    rng: random.Random, popularity: _Weighted, day: int, chosen: set[int]
) -> _Product | None:
    # Redraw products not on sale that day or already on the order.
    for _ in range(20):
        p = popularity.pick(rng)
        if p.launched <= day <= p.last_sold and p.id not in chosen:
            chosen.add(p.id)
            return p
    return None


def _quantity(rng: random.Random, bulk: bool, segment: str) -> int:
    qty = _BULK_QTY.pick(rng) if bulk else _SINGLE_QTY.pick(rng)
    if segment == "Corporate" and rng.random() < 0.25:
        qty *= rng.choice((2, 5, 10))
    elif segment == "Small Business" and rng.random() < 0.15:
        qty *= rng.choice((2, 3, 5))
    return qty


def _discount(rng: random.Random, segment: str, peak: bool) -> float:
    chance = _DISCOUNT_CHANCE[segment] + (0.15 if peak else 0.0)
    return _DISCOUNT.pick(rng) if rng.random() < chance else 0.0


def _fulfilment(
    rng: random.Random, channel: str, day: int, today: int, peak: bool
) -> tuple[str, int | None]:
    """Status and shipped day (ordinal) of an order placed on `day`, as seen on `today`."""
    if rng.random() < (0.005 if channel == "store" else 0.04):
        return "cancelled", None
    age = today - day
    if channel == "store":
        delay, transit = 0, 0  # carried out of the shop
    else:
        delay, transit = _DISPATCH.pick(rng), _TRANSIT.pick(rng)
        if peak:  # the holiday rush backs up warehouses and carriers
            delay += rng.randrange(4)
            transit += rng.randrange(5)
    if age < delay:
        return "pending", None
    if age < delay + transit:
        return "shipped", day + delay
    if age >= delay + transit + 2 and rng.random() < (0.03 if channel == "store" else 0.05):
        return "returned", day + delay
    return "delivered", day + delay


def _shipping_cost(rng: random.Random, channel: str, subtotal: float) -> float:
    if channel == "store":
        return 0.0
    if channel == "partner":
        return round(min(4.95 + subtotal * 0.01, 149.0), 2)
    if rng.random() < 0.1:
        return 19.99  # express
    return 0.0 if subtotal >= 99 else rng.choice((5.99, 9.99))
