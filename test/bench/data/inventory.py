"""A small inventory service: the source file the completion-latency bench types into."""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Iterator

log = logging.getLogger(__name__)

LOW_STOCK_THRESHOLD = 5
DEFAULT_CURRENCY = "EUR"


class InventoryError(Exception):
    """Raised when an operation would leave the inventory inconsistent."""


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price: float
    currency: str = DEFAULT_CURRENCY
    tags: tuple[str, ...] = ()

    def with_price(self, price: float) -> Product:
        if price < 0:
            raise InventoryError(f"negative price for {self.sku}: {price}")
        return Product(self.sku, self.name, price, self.currency, self.tags)


@dataclass
class StockItem:
    product: Product
    quantity: int = 0
    location: str = "main"
    expires: date | None = None

    @property
    def value(self) -> float:
        return self.product.price * self.quantity

    def is_low(self, threshold: int = LOW_STOCK_THRESHOLD) -> bool:
        return self.quantity <= threshold

    def is_expired(self, today: date | None = None) -> bool:
        if self.expires is None:
            return False
        return self.expires < (today or date.today())


@dataclass
class Movement:
    sku: str
    delta: int
    reason: str
    at: datetime = field(default_factory=datetime.now)


class Inventory:
    """Stock per SKU, with a journal of every movement."""

    def __init__(self) -> None:
        self._items: dict[str, StockItem] = {}
        self._journal: list[Movement] = []

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[StockItem]:
        return iter(self._items.values())

    def add_product(self, product: Product, quantity: int = 0, location: str = "main") -> StockItem:
        if product.sku in self._items:
            raise InventoryError(f"duplicate SKU {product.sku}")
        item = StockItem(product, quantity, location)
        self._items[product.sku] = item
        self._journal.append(Movement(product.sku, quantity, "initial"))
        return item

    def get(self, sku: str) -> StockItem:
        try:
            return self._items[sku]
        except KeyError:
            raise InventoryError(f"unknown SKU {sku}") from None

    def receive(self, sku: str, quantity: int) -> None:
        if quantity <= 0:
            raise InventoryError(f"cannot receive {quantity} of {sku}")
        item = self.get(sku)
        item.quantity += quantity
        self._journal.append(Movement(sku, quantity, "received"))

    def ship(self, sku: str, quantity: int) -> None:
        item = self.get(sku)
        if quantity > item.quantity:
            raise InventoryError(f"only {item.quantity} of {sku} in stock, {quantity} ordered")

        self._journal.append(Movement(sku, -quantity, "shipped"))

    def total_value(self, currency: str = DEFAULT_CURRENCY) -> float:
        return sum(item.value for item in self if item.product.currency == currency)

    def low_stock(self, threshold: int = LOW_STOCK_THRESHOLD) -> list[StockItem]:
        return sorted((item for item in self if item.is_low(threshold)), key=lambda item: item.quantity)

    def by_tag(self, tag: str) -> list[StockItem]:
        return [item for item in self if tag in item.product.tags]

    def history(self, sku: str) -> list[Movement]:
        return [movement for movement in self._journal if movement.sku == sku]

    def remove_expired(self, today: date | None = None) -> list[StockItem]:
        expired = [item for item in self if item.is_expired(today)]
        for item in expired:
            del self._items[item.product.sku]
            self._journal.append(Movement(item.product.sku, -item.quantity, "expired"))
        return expired


def load_products(path: Path) -> Iterable[Product]:
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            tags = tuple(tag.strip() for tag in row.get("tags", "").split(";") if tag.strip())
            yield Product(row["sku"], row["name"], float(row["price"]), row.get("currency") or DEFAULT_CURRENCY, tags)


def save_report(inventory: Inventory, path: Path) -> None:
    report = {
        "generated": datetime.now().isoformat(timespec="seconds"),
        "items": len(inventory),
        "value": round(inventory.total_value(), 2),
        "low_stock": [item.product.sku for item in inventory.low_stock()],
    }
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    log.info("wrote report for %d items to %s", len(inventory), path)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: inventory.py PRODUCTS.csv REPORT.json")
        return 2
    inventory = Inventory()
    for product in load_products(Path(argv[1])):
        inventory.add_product(product, quantity=10)
    save_report(inventory, Path(argv[2]))
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv))
