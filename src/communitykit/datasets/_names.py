"""Word lists for synthetic people, org units and communities."""

from __future__ import annotations

from typing import Final

__all__: list[str] = []

FIRST_NAMES: Final[tuple[str, ...]] = (
    "Aaliyah", "Adam", "Aiko", "Alba", "Ali", "Amara", "Ana", "Anders", "Anna", "Arjun",
    "Astrid", "Ben", "Bo", "Camille", "Carlos", "Chen", "Chloe", "Daniel", "Dara", "David",
    "Elena", "Elif", "Emil", "Emma", "Erik", "Eva", "Fatima", "Felix", "Finn", "Freya",
    "Giulia", "Hana", "Hannah", "Hugo", "Ines", "Ivan", "Jakob", "Jana", "Jonas", "Julia",
    "Kai", "Karin", "Kenji", "Lara", "Lea", "Leon", "Lina", "Luca", "Lukas", "Maja",
    "Marie", "Mateo", "Mia", "Milan", "Nadia", "Nina", "Noah", "Nora", "Omar", "Paul",
    "Priya", "Rafael", "Rosa", "Sami", "Sara", "Sofia", "Tariq", "Theo", "Tom", "Yara",
    "Yusuf", "Zoe",
)  # fmt: skip

LAST_NAMES: Final[tuple[str, ...]] = (
    "Abe", "Andersen", "Bauer", "Becker", "Berg", "Costa", "Dahl", "Diaz", "Dubois", "Eriksen",
    "Fischer", "Garcia", "Hansen", "Hoffmann", "Huber", "Ivanova", "Jensen", "Kaya", "Keller",
    "Klein", "Koch", "Kowalski", "Kumar", "Lang", "Larsen", "Lehmann", "Li", "Lopez", "Meyer",
    "Moreau", "Mueller", "Nakamura", "Nguyen", "Novak", "Okafor", "Olsen", "Patel", "Peters",
    "Petrov", "Rossi", "Santos", "Sato", "Schmidt", "Schneider", "Schulz", "Silva", "Singh",
    "Sommer", "Svensson", "Tanaka", "Vogel", "Wagner", "Walter", "Wang", "Weber", "Wolf",
    "Yilmaz", "Zhang", "Zimmermann",
)  # fmt: skip

DIVISIONS: Final[tuple[str, ...]] = (
    "R&D", "Sales", "Operations", "Marketing", "Finance", "HR", "IT", "Manufacturing",
    "Customer Service", "Legal", "Procurement", "Strategy",
)  # fmt: skip

DEPARTMENTS: Final[tuple[str, ...]] = (
    "Platform", "Research", "Analytics", "Europe", "Americas", "Asia", "Quality", "Logistics",
    "Brand", "Digital", "Controlling", "Talent", "Infrastructure", "Security", "Plant North",
    "Plant South", "Support", "Compliance", "Sourcing", "Innovation", "Product", "Services",
)  # fmt: skip

COMMUNITY_TOPICS: Final[tuple[str, ...]] = (
    "agile-coaching", "ai-practitioners", "cloud-native", "customer-voice", "data-science",
    "design-thinking", "devops", "diversity-network", "energy-transition", "green-it",
    "innovation-lab", "knowledge-management", "lean-production", "mentoring-circle",
    "new-work", "onboarding-buddies", "open-source", "project-management", "python-guild",
    "quality-circle", "remote-work", "safety-first", "sales-excellence", "security-champions",
    "supply-chain", "sustainability", "testing-guild", "ux-research", "women-in-tech",
    "working-out-loud",
)  # fmt: skip

BOT_NAMES: Final[tuple[str, ...]] = (
    "digest", "onboarding", "news", "reminder", "welcome", "survey", "release", "calendar",
)  # fmt: skip

SUBSIDIARIES: Final[tuple[str, ...]] = ("Acme Digital GmbH", "Acme Services Ltd")
PARENT_ORG: Final[str] = "Acme Corp"
CONTRACTOR_ORGS: Final[tuple[str, ...]] = ("Nordic Consulting AB", "Blue River Partners")
