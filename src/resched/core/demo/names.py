"""Invented names for demo people: common given names and surnames from many backgrounds, paired
at random, so that no pairing is meant to describe a real person."""

from __future__ import annotations

import random
import unicodedata

from resched.core.errors import Invalid

# 80 given names and 81 surnames: coprime counts on purpose, see pick_names.
_GIVEN_TEXT = """
    Amara Mateo Priya Kwame Mei Santiago Leila Tomasz Aisha Hiroshi Sofia Emeka Ingrid Rahul
    Camila Yusuf Hana Diego Nadia Olumide Elena Arjun Zainab Lukas Thandiwe Minh Isabel Omar
    Freya Jin Valentina Kofi Anjali Sebastián Yara Daniel Chiamaka Mikael Farah Wei Lucía Tariq
    Astrid Ravi Noor Andrés Keiko Samuel Ayesha Jonas Ngozi Rafael Sun-hee Marcus Esperanza
    Dmitri Fatima Kenji Grace Abdullah Maya Tobias Adaeze Carlos Linh Hamza Clara Vikram Imani
    Felix Rosa Bilal Ines Takumi Zora Nikhil Ana Malik Sakura Joaquín
    """
_GIVEN = tuple(_GIVEN_TEXT.split())

_SURNAMES_TEXT = """
    Okafor Nguyen Patel Hernández Kowalski Haddad Tanaka Mensah Lindqvist Romero Cohen Singh
    Adeyemi Park Rossi Chaudhry Moreau Abebe Silva Yamamoto Novak Rahman O'Brien Castillo Osei
    Chen Fischer Iyer Delgado Kim Mwangi Petrov Alvarez Nakamura Hassan Bianchi Eze Larsen Gupta
    Morales Sato Kaya Owusu Jensen Reyes Ali Dubois Banerjee Kariuki Volkov Ortiz Huang Nwosu
    Bergström Mendoza Farouk Ivanova Choi Acheampong Santos Weber Desai Torres Lee Asante
    Horvath Aguilar Suzuki Karimi Quispe Mahlangu Fernandes Zhou Nair Vargas Lindgren Obi
    Ramírez Takahashi Wójcik Bello
    """
_SURNAMES = tuple(_SURNAMES_TEXT.split())


def pick_names(seed: int, count: int) -> tuple[str, ...]:
    """``count`` distinct "Given Surname" names, the same for the same seed.

    Both lists are shuffled and the i-th person takes given name i mod 80 and surname i mod 81;
    because 80 and 81 are coprime, the first 6480 pairs are all different, and the first 81
    people all have different surnames (messages say "Dr Okafor", which then stays unambiguous).
    """
    limit = len(_GIVEN) * len(_SURNAMES)
    if count > limit:
        raise Invalid(f"the demo has at most {limit} distinct names, asked for {count}")
    # Demo data only: a seeded, reproducible generator is the point; nothing here is a secret.
    rng = random.Random(seed)  # noqa: S311
    given, surnames = list(_GIVEN), list(_SURNAMES)
    rng.shuffle(given)
    rng.shuffle(surnames)
    return tuple(f"{given[i % len(given)]} {surnames[i % len(surnames)]}" for i in range(count))


def email_for(name: str, taken: set[str]) -> str:
    """A plausible address on the reserved ``example.org`` domain, unique within ``taken``
    (which it extends): ASCII letters of the name, a number appended on a clash."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    parts = ["".join(ch for ch in part if ch.isalnum()).lower() for part in folded.split()]
    local = ".".join(part for part in parts if part)
    candidate, suffix = local, 2
    while candidate in taken:
        candidate, suffix = f"{local}{suffix}", suffix + 1
    taken.add(candidate)
    return f"{candidate}@example.org"
