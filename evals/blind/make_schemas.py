"""Generate the blind-set databases: three SQLite schemas and one JSON Lines container.

Deterministic (fixed seeds, standard library only). Writes, relative to the repository root:
  data/blind/clinic.sqlite      PascalCase tables and columns (a group of outpatient clinics)
  data/blind/fleet.sqlite       terse abbreviated names (a road-freight firm)
  data/blind/university.sqlite  snake_case, plural and singular table names mixed
  data/blind/recipes.jsonl      2,000 recipe documents with nested objects and arrays

Run: python3 evals/blind/make_schemas.py [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FIRST_F = [
    "Maria",
    "Emma",
    "Olivia",
    "Sophia",
    "Ava",
    "Isabella",
    "Mia",
    "Charlotte",
    "Amelia",
    "Harper",
    "Grace",
    "Chloe",
    "Hannah",
    "Nora",
    "Leah",
    "Aisha",
    "Priya",
    "Mei",
    "Yuki",
    "Fatima",
    "Elena",
    "Sara",
    "Julia",
    "Laura",
    "Anna",
    "Rosa",
    "Ingrid",
    "Chiara",
    "Lucia",
    "Zoe",
]
FIRST_M = [
    "James",
    "Liam",
    "Noah",
    "Oliver",
    "Elijah",
    "Lucas",
    "Mason",
    "Ethan",
    "Logan",
    "Jacob",
    "Daniel",
    "Henry",
    "Samuel",
    "David",
    "Omar",
    "Raj",
    "Wei",
    "Kenji",
    "Ahmed",
    "Mateo",
    "Diego",
    "Marco",
    "Tomas",
    "Pavel",
    "Felix",
    "Hugo",
    "Ivan",
    "Carlos",
    "Andre",
    "Victor",
]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Patel",
    "Kim",
    "Chen",
    "Singh",
    "Novak",
    "Rossi",
    "Schmidt",
    "Dubois",
    "Kowalski",
    "Okafor",
]


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _person(rng: random.Random) -> tuple[str, str, str]:
    sex = rng.choice("FM")
    first = rng.choice(FIRST_F if sex == "F" else FIRST_M)
    return first, rng.choice(LAST), sex


def _unique_people(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    """n people whose (first, last) pairs are all different."""
    seen: set[tuple[str, str]] = set()
    out = []
    while len(out) < n:
        p = _person(rng)
        if p[:2] not in seen:
            seen.add(p[:2])
            out.append(p)
    return out


def _create(path: Path, ddl: str) -> sqlite3.Connection:
    if path.exists():
        path.unlink()
    con = sqlite3.connect(path)
    con.executescript(ddl)
    return con


# --------------------------------------------------------------------------- clinic

CLINIC_DDL = """
CREATE TABLE Clinics (
  ClinicId INTEGER PRIMARY KEY,
  ClinicName TEXT NOT NULL,
  City TEXT NOT NULL,
  State TEXT NOT NULL,
  OpenedDate TEXT NOT NULL
);
CREATE TABLE Doctors (
  DoctorId INTEGER PRIMARY KEY,
  FirstName TEXT NOT NULL,
  LastName TEXT NOT NULL,
  Specialty TEXT NOT NULL,
  HireDate TEXT NOT NULL,
  AnnualSalary REAL NOT NULL,
  SupervisorId INTEGER REFERENCES Doctors(DoctorId)
);
CREATE TABLE DoctorClinics (
  DoctorId INTEGER NOT NULL REFERENCES Doctors(DoctorId),
  ClinicId INTEGER NOT NULL REFERENCES Clinics(ClinicId),
  DaysPerWeek INTEGER NOT NULL,
  PRIMARY KEY (DoctorId, ClinicId)
);
CREATE TABLE Patients (
  PatientId INTEGER PRIMARY KEY,
  FirstName TEXT NOT NULL,
  LastName TEXT NOT NULL,
  BirthDate TEXT NOT NULL,
  Sex TEXT NOT NULL,
  City TEXT NOT NULL,
  InsuranceType TEXT NOT NULL,
  PrimaryClinicId INTEGER NOT NULL REFERENCES Clinics(ClinicId)
);
CREATE TABLE PatientVisits (
  VisitId INTEGER PRIMARY KEY,
  PatientId INTEGER NOT NULL REFERENCES Patients(PatientId),
  DoctorId INTEGER NOT NULL REFERENCES Doctors(DoctorId),
  ClinicId INTEGER NOT NULL REFERENCES Clinics(ClinicId),
  VisitDate TEXT NOT NULL,
  VisitType TEXT NOT NULL,
  DurationMinutes INTEGER NOT NULL,
  Fee REAL NOT NULL
);
CREATE TABLE Medications (
  MedicationId INTEGER PRIMARY KEY,
  MedicationName TEXT NOT NULL UNIQUE,
  DrugClass TEXT NOT NULL,
  UnitPrice REAL NOT NULL
);
CREATE TABLE Prescriptions (
  PrescriptionId INTEGER PRIMARY KEY,
  VisitId INTEGER NOT NULL REFERENCES PatientVisits(VisitId),
  MedicationId INTEGER NOT NULL REFERENCES Medications(MedicationId),
  Quantity INTEGER NOT NULL,
  RefillsAllowed INTEGER NOT NULL
);
"""

CLINICS = [
    ("Riverside Family Clinic", "Columbus", "Ohio", "2004-03-15"),
    ("Lakeside Health Center", "Cleveland", "Ohio", "2009-09-01"),
    ("Northgate Medical", "Seattle", "Washington", "2001-06-20"),
    ("Harbor View Clinic", "Tacoma", "Washington", "2015-01-12"),
    ("Pinecrest Clinic", "Denver", "Colorado", "2011-04-04"),
    ("Sunset Medical Group", "Phoenix", "Arizona", "1998-11-30"),
    ("Maple Street Clinic", "Madison", "Wisconsin", "2018-08-27"),
    ("Bayside Clinic", "Tampa", "Florida", "2006-02-14"),
]
SPECIALTIES = [
    "Family Medicine",
    "Pediatrics",
    "Cardiology",
    "Dermatology",
    "Orthopedics",
    "Neurology",
]
SPECIALTY_PAY = {
    "Family Medicine": 210000,
    "Pediatrics": 220000,
    "Cardiology": 390000,
    "Dermatology": 330000,
    "Orthopedics": 420000,
    "Neurology": 300000,
}
MEDICATIONS = [
    ("Amoxicillin", "Antibiotic", 0.45),
    ("Azithromycin", "Antibiotic", 1.95),
    ("Cephalexin", "Antibiotic", 0.60),
    ("Doxycycline", "Antibiotic", 0.85),
    ("Ciprofloxacin", "Antibiotic", 0.70),
    ("Ibuprofen", "Analgesic", 0.08),
    ("Acetaminophen", "Analgesic", 0.05),
    ("Naproxen", "Analgesic", 0.12),
    ("Tramadol", "Analgesic", 0.55),
    ("Lisinopril", "Antihypertensive", 0.20),
    ("Amlodipine", "Antihypertensive", 0.25),
    ("Losartan", "Antihypertensive", 0.35),
    ("Metoprolol", "Antihypertensive", 0.30),
    ("Hydrochlorothiazide", "Antihypertensive", 0.15),
    ("Cetirizine", "Antihistamine", 0.18),
    ("Loratadine", "Antihistamine", 0.16),
    ("Fexofenadine", "Antihistamine", 0.40),
    ("Diphenhydramine", "Antihistamine", 0.10),
    ("Atorvastatin", "Statin", 0.32),
    ("Simvastatin", "Statin", 0.22),
    ("Rosuvastatin", "Statin", 0.65),
    ("Pravastatin", "Statin", 0.48),
    ("Metformin", "Antidiabetic", 0.14),
    ("Glipizide", "Antidiabetic", 0.26),
    ("Sitagliptin", "Antidiabetic", 9.80),
    ("Sertraline", "Antidepressant", 0.38),
    ("Fluoxetine", "Antidepressant", 0.29),
    ("Escitalopram", "Antidepressant", 0.44),
    ("Prednisone", "Corticosteroid", 0.11),
    ("Hydrocortisone Cream", "Corticosteroid", 6.50),
]
VISIT_TYPES = [
    ("Checkup", 30, 120.0),
    ("Follow-up", 20, 85.0),
    ("Urgent", 45, 240.0),
    ("Consultation", 40, 180.0),
]
INSURANCE = ["Private", "Private", "Private", "Private", "Medicaid", "Medicaid", "Uninsured"]


def make_clinic(path: Path) -> None:
    rng = random.Random(11)
    con = _create(path, CLINIC_DDL)
    con.executemany(
        "INSERT INTO Clinics VALUES (?,?,?,?,?)", [(i + 1, *c) for i, c in enumerate(CLINICS)]
    )
    people = _unique_people(rng, 40)
    doctors = []
    for i, (first, last, _sex) in enumerate(people, start=1):
        spec = SPECIALTIES[(i - 1) % len(SPECIALTIES)]
        hire = _date(rng, dt.date(2000, 1, 1), dt.date(2023, 12, 31))
        salary = round(SPECIALTY_PAY[spec] * rng.uniform(0.85, 1.2), -2)
        # The first doctor of each specialty heads it; the others report to that head.
        supervisor = None if i <= len(SPECIALTIES) else (i - 1) % len(SPECIALTIES) + 1
        doctors.append((i, first, last, spec, hire.isoformat(), salary, supervisor))
    con.executemany("INSERT INTO Doctors VALUES (?,?,?,?,?,?,?)", doctors)
    links = []
    doctor_clinics: dict[int, list[int]] = {}
    for d in doctors:
        n = rng.choice([1, 1, 2, 2, 3])
        cl = sorted(rng.sample(range(1, len(CLINICS) + 1), n))
        doctor_clinics[d[0]] = cl
        for c in cl:
            links.append((d[0], c, rng.randint(1, 5 - n + 1)))
    con.executemany("INSERT INTO DoctorClinics VALUES (?,?,?)", links)
    clinic_doctors: dict[int, list[int]] = {}
    for d, cl in doctor_clinics.items():
        for c in cl:
            clinic_doctors.setdefault(c, []).append(d)
    patients = []
    for pid in range(1, 1201):
        first, last, sex = _person(rng)
        clinic = rng.choices(range(1, 9), weights=[18, 14, 16, 8, 12, 15, 6, 11])[0]
        city = (
            CLINICS[clinic - 1][1]
            if rng.random() < 0.8
            else rng.choice(
                ["Dayton", "Akron", "Spokane", "Boulder", "Mesa", "Green Bay", "Orlando", "Everett"]
            )
        )
        born = _date(rng, dt.date(1935, 1, 1), dt.date(2020, 12, 31))
        # Medicare is for people over 65; the others draw from the working-age mix.
        cover = "Medicare" if born.year < 1959 and rng.random() < 0.9 else rng.choice(INSURANCE)
        patients.append((pid, first, last, born.isoformat(), sex, city, cover, clinic))
    con.executemany("INSERT INTO Patients VALUES (?,?,?,?,?,?,?,?)", patients)
    visits = []
    for vid in range(1, 3501):
        p = patients[rng.randrange(len(patients))]
        clinic = p[7] if rng.random() < 0.85 else rng.randint(1, 8)
        doc = rng.choice(clinic_doctors.get(clinic) or [1])
        vtype, minutes, fee = rng.choices(VISIT_TYPES, weights=[40, 30, 12, 18])[0]
        day = _date(rng, dt.date(2023, 1, 1), dt.date(2024, 12, 31))
        dur = max(10, minutes + rng.choice([-10, -5, 0, 0, 5, 10, 15]))
        visits.append(
            (
                vid,
                p[0],
                doc,
                clinic,
                day.isoformat(),
                vtype,
                dur,
                round(fee * rng.uniform(0.9, 1.3), 2),
            )
        )
    con.executemany("INSERT INTO PatientVisits VALUES (?,?,?,?,?,?,?,?)", visits)
    con.executemany(
        "INSERT INTO Medications VALUES (?,?,?,?)", [(i + 1, *m) for i, m in enumerate(MEDICATIONS)]
    )
    presc = []
    pid = 0
    for v in visits:
        if rng.random() < 0.55:
            for med in rng.sample(range(1, len(MEDICATIONS) + 1), rng.choice([1, 1, 1, 2, 3])):
                pid += 1
                presc.append(
                    (
                        pid,
                        v[0],
                        med,
                        rng.choice([10, 14, 20, 28, 30, 30, 60, 90]),
                        rng.choice([0, 0, 1, 2, 3, 5]),
                    )
                )
    con.executemany("INSERT INTO Prescriptions VALUES (?,?,?,?,?)", presc)
    con.commit()
    con.close()


# --------------------------------------------------------------------------- fleet

FLEET_DDL = """
CREATE TABLE depot (
  depot_id INTEGER PRIMARY KEY,
  depot_nm TEXT NOT NULL,
  city TEXT NOT NULL,
  st TEXT NOT NULL,
  cap INTEGER NOT NULL
);
CREATE TABLE emp (
  emp_id INTEGER PRIMARY KEY,
  fname TEXT NOT NULL,
  lname TEXT NOT NULL,
  dob TEXT NOT NULL,
  hire_dt TEXT NOT NULL,
  job_cd TEXT NOT NULL,
  mgr_id INTEGER REFERENCES emp(emp_id),
  depot_id INTEGER REFERENCES depot(depot_id),
  sal REAL NOT NULL
);
CREATE TABLE veh (
  veh_id INTEGER PRIMARY KEY,
  reg_no TEXT NOT NULL UNIQUE,
  make TEXT NOT NULL,
  mdl TEXT NOT NULL,
  yr INTEGER NOT NULL,
  veh_typ TEXT NOT NULL,
  depot_id INTEGER NOT NULL REFERENCES depot(depot_id),
  odo_km INTEGER NOT NULL,
  purch_dt TEXT NOT NULL,
  purch_amt REAL NOT NULL
);
CREATE TABLE cust (
  cust_id INTEGER PRIMARY KEY,
  cust_nm TEXT NOT NULL,
  addr TEXT NOT NULL,
  city TEXT NOT NULL,
  st TEXT NOT NULL,
  ph TEXT NOT NULL
);
CREATE TABLE shpmt (
  shpmt_id INTEGER PRIMARY KEY,
  cust_id INTEGER NOT NULL REFERENCES cust(cust_id),
  orig_depot_id INTEGER NOT NULL REFERENCES depot(depot_id),
  dest_city TEXT NOT NULL,
  ship_dt TEXT NOT NULL,
  dlvr_dt TEXT,
  wt_kg REAL NOT NULL,
  amt REAL NOT NULL,
  stat TEXT NOT NULL
);
CREATE TABLE trip (
  trip_id INTEGER PRIMARY KEY,
  veh_id INTEGER NOT NULL REFERENCES veh(veh_id),
  drv_id INTEGER NOT NULL REFERENCES emp(emp_id),
  start_dt TEXT NOT NULL,
  dist_km REAL NOT NULL,
  fuel_l REAL NOT NULL
);
CREATE TABLE trip_shpmt (
  trip_id INTEGER NOT NULL REFERENCES trip(trip_id),
  shpmt_id INTEGER NOT NULL REFERENCES shpmt(shpmt_id),
  PRIMARY KEY (trip_id, shpmt_id)
);
CREATE TABLE maint (
  maint_id INTEGER PRIMARY KEY,
  veh_id INTEGER NOT NULL REFERENCES veh(veh_id),
  mech_id INTEGER NOT NULL REFERENCES emp(emp_id),
  svc_dt TEXT NOT NULL,
  svc_desc TEXT NOT NULL,
  qty INTEGER NOT NULL,
  cost REAL NOT NULL
);
"""

DEPOTS = [
    ("Rotterdam Port", "Rotterdam", "ZH", 60),
    ("Utrecht Central", "Utrecht", "UT", 35),
    ("Eindhoven South", "Eindhoven", "NB", 40),
    ("Groningen North", "Groningen", "GR", 25),
    ("Arnhem East", "Arnhem", "GE", 30),
    ("Amsterdam West", "Amsterdam", "NH", 50),
]
MAKES = {
    "TRK": [("Volvo", "FH16"), ("Scania", "R500"), ("DAF", "XF"), ("MAN", "TGX")],
    "VAN": [("Mercedes", "Sprinter"), ("Ford", "Transit"), ("Renault", "Master")],
    "TRLR": [("Krone", "Profi Liner"), ("Schmitz", "S.KO Cool")],
}
CUST_WORDS = [
    "Nordic",
    "Delta",
    "Polder",
    "Tulip",
    "Harbor",
    "Orange",
    "Windmill",
    "Canal",
    "Dune",
    "Atlas",
    "Beacon",
    "Summit",
    "Maas",
    "Rhine",
    "Veluwe",
]
CUST_KINDS = [
    "Foods",
    "Logistics",
    "Retail",
    "Chemicals",
    "Electronics",
    "Textiles",
    "Furniture",
    "Pharma",
    "Garden Supplies",
    "Building Materials",
]
CITIES = [
    ("Rotterdam", "ZH"),
    ("The Hague", "ZH"),
    ("Leiden", "ZH"),
    ("Utrecht", "UT"),
    ("Amersfoort", "UT"),
    ("Eindhoven", "NB"),
    ("Tilburg", "NB"),
    ("Breda", "NB"),
    ("Groningen", "GR"),
    ("Arnhem", "GE"),
    ("Nijmegen", "GE"),
    ("Amsterdam", "NH"),
    ("Haarlem", "NH"),
    ("Zwolle", "OV"),
    ("Maastricht", "LI"),
]
STREETS = [
    "Stationsweg",
    "Kerkstraat",
    "Industrieweg",
    "Havenstraat",
    "Dorpsstraat",
    "Molenweg",
    "Schoolstraat",
    "Nieuweweg",
]
SERVICES = [
    ("Oil change", 1, 180.0),
    ("Brake pads", 4, 420.0),
    ("Tire replacement", 6, 1900.0),
    ("Engine repair", 3, 2600.0),
    ("Annual inspection", 1, 250.0),
    ("Battery replacement", 2, 380.0),
]


def make_fleet(path: Path) -> None:
    rng = random.Random(22)
    con = _create(path, FLEET_DDL)
    con.executemany(
        "INSERT INTO depot VALUES (?,?,?,?,?)", [(i + 1, *d) for i, d in enumerate(DEPOTS)]
    )
    people = _unique_people(rng, 110)
    emps = []

    def add(job: str, mgr: int | None, depot: int | None, sal: tuple[int, int]) -> int:
        first, last, _ = people[len(emps)]
        eid = len(emps) + 1
        latest = dt.date(1985, 12, 31) if job in ("DIR", "MGR") else dt.date(2001, 12, 31)
        dob = _date(rng, dt.date(1960, 1, 1), latest)
        hire = _date(
            rng, max(dob + dt.timedelta(days=365 * 19), dt.date(1995, 1, 1)), dt.date(2024, 6, 30)
        )
        emps.append(
            (
                eid,
                first,
                last,
                dob.isoformat(),
                hire.isoformat(),
                job,
                mgr,
                depot,
                float(rng.randrange(sal[0], sal[1], 100)),
            )
        )
        return eid

    director = add("DIR", None, None, (118000, 125000))
    for d in range(1, len(DEPOTS) + 1):
        mgr = add("MGR", director, d, (68000, 82000))
        add("DISP", mgr, d, (39000, 47000))
    depot_mgr = {e[7]: e[0] for e in emps if e[5] == "MGR"}
    while len(emps) < 110:
        d = rng.choices(range(1, 7), weights=[6, 3, 4, 2, 3, 5])[0]
        job = rng.choices(["DRV", "MECH", "DISP"], weights=[70, 22, 8])[0]
        pay = {"DRV": (36000, 52000), "MECH": (40000, 56000), "DISP": (39000, 47000)}[job]
        add(job, depot_mgr[d], d, pay)
    con.executemany("INSERT INTO emp VALUES (?,?,?,?,?,?,?,?,?)", emps)
    vehs = []
    regs = set()
    for vid in range(1, 81):
        typ = rng.choices(["TRK", "VAN", "TRLR"], weights=[45, 35, 20])[0]
        make, mdl = rng.choice(MAKES[typ])
        yr = rng.randint(2010, 2024)
        while True:
            letters = "BDFGHJKLNPRSTVXZ"
            a, b = rng.choice(letters), rng.choice(letters)
            reg = f"{a}{b}-{rng.randint(100, 999)}-{rng.choice(letters)}"
            if reg not in regs:
                regs.add(reg)
                break
        purch = _date(rng, dt.date(yr, 1, 1), dt.date(min(yr + 1, 2024), 12, 31))
        base = {"TRK": 115000, "VAN": 42000, "TRLR": 38000}[typ]
        if typ != "TRLR":
            odo = rng.randint(5000, 60000) * (2025 - yr) // 2
        else:
            odo = rng.randint(20000, 400000)
        vehs.append(
            (
                vid,
                reg,
                make,
                mdl,
                yr,
                typ,
                rng.randint(1, 6),
                odo,
                purch.isoformat(),
                round(base * rng.uniform(0.85, 1.25), -2),
            )
        )
    con.executemany("INSERT INTO veh VALUES (?,?,?,?,?,?,?,?,?,?)", vehs)
    custs = []
    names = set()
    while len(custs) < 60:
        nm = f"{rng.choice(CUST_WORDS)} {rng.choice(CUST_KINDS)}"
        if nm in names:
            continue
        names.add(nm)
        city, st = rng.choice(CITIES)
        addr = f"{rng.choice(STREETS)} {rng.randint(1, 240)}"
        ph = f"+31 {rng.randint(10, 79)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        custs.append((len(custs) + 1, nm, addr, city, st, ph))
    con.executemany("INSERT INTO cust VALUES (?,?,?,?,?,?)", custs)
    shps = []
    for sid in range(1, 1501):
        # The last four customers are new and have not shipped anything yet.
        c = rng.randint(1, 56) if rng.random() < 0.7 else rng.randint(1, 12)
        ship = _date(rng, dt.date(2023, 1, 1), dt.date(2024, 12, 31))
        stat = rng.choices(["DLVD", "INTR", "CANC"], weights=[82, 10, 8])[0]
        dlvr = (ship + dt.timedelta(days=rng.randint(1, 5))).isoformat() if stat == "DLVD" else None
        wt = round(rng.uniform(40, 18000), 1)
        amt = round(90 + wt * rng.uniform(0.06, 0.12), 2)
        shps.append(
            (
                sid,
                c,
                rng.randint(1, 6),
                rng.choice(CITIES)[0],
                ship.isoformat(),
                dlvr,
                wt,
                amt,
                stat,
            )
        )
    con.executemany("INSERT INTO shpmt VALUES (?,?,?,?,?,?,?,?,?)", shps)
    drivers = [e[0] for e in emps if e[5] == "DRV"]
    motor = [v[0] for v in vehs if v[5] != "TRLR"]
    trips = []
    for tid in range(1, 1201):
        start = _date(rng, dt.date(2023, 1, 1), dt.date(2024, 12, 31))
        dist = round(rng.uniform(25, 640), 1)
        veh = rng.choice(motor)
        per100 = 31 if vehs[veh - 1][5] == "TRK" else 11
        trips.append(
            (
                tid,
                veh,
                rng.choice(drivers),
                start.isoformat(),
                dist,
                round(dist * per100 / 100 * rng.uniform(0.9, 1.15), 1),
            )
        )
    con.executemany("INSERT INTO trip VALUES (?,?,?,?,?,?)", trips)
    links = set()
    for s in shps:
        if s[8] == "CANC":
            continue
        for t in rng.sample(range(1, 1201), rng.choice([1, 1, 1, 2])):
            links.add((t, s[0]))
    con.executemany("INSERT INTO trip_shpmt VALUES (?,?)", sorted(links))
    mechs = [e[0] for e in emps if e[5] == "MECH"]
    maints = []
    for mid in range(1, 401):
        desc, qty, cost = rng.choice(SERVICES)
        maints.append(
            (
                mid,
                rng.randint(1, 80),
                rng.choice(mechs),
                _date(rng, dt.date(2023, 1, 1), dt.date(2024, 12, 31)).isoformat(),
                desc,
                max(1, qty + rng.choice([-1, 0, 0, 1, 2])) if qty > 1 else qty,
                round(cost * rng.uniform(0.8, 1.4), 2),
            )
        )
    con.executemany("INSERT INTO maint VALUES (?,?,?,?,?,?,?)", maints)
    con.commit()
    con.close()


# --------------------------------------------------------------------------- university

UNIVERSITY_DDL = """
CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  building TEXT NOT NULL,
  faculty TEXT NOT NULL,
  budget REAL NOT NULL
);
CREATE TABLE professor (
  id INTEGER PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  department_id INTEGER NOT NULL REFERENCES departments(id),
  title TEXT NOT NULL,
  hire_date TEXT NOT NULL,
  salary REAL NOT NULL,
  email TEXT NOT NULL
);
CREATE TABLE students (
  id INTEGER PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  date_of_birth TEXT NOT NULL,
  home_city TEXT NOT NULL,
  home_country TEXT NOT NULL,
  enrollment_year INTEGER NOT NULL,
  major_id INTEGER REFERENCES departments(id),
  advisor_id INTEGER REFERENCES professor(id)
);
CREATE TABLE course (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  department_id INTEGER NOT NULL REFERENCES departments(id),
  credits INTEGER NOT NULL,
  level INTEGER NOT NULL,
  prerequisite_id INTEGER REFERENCES course(id)
);
CREATE TABLE enrollments (
  student_id INTEGER NOT NULL REFERENCES students(id),
  course_id INTEGER NOT NULL REFERENCES course(id),
  term TEXT NOT NULL,
  grade TEXT,
  PRIMARY KEY (student_id, course_id, term)
);
CREATE TABLE teaching_assignment (
  professor_id INTEGER NOT NULL REFERENCES professor(id),
  course_id INTEGER NOT NULL REFERENCES course(id),
  term TEXT NOT NULL,
  PRIMARY KEY (professor_id, course_id, term)
);
"""

DEPARTMENTS = [
    (
        "Computer Science",
        "Turing Hall",
        "Engineering",
        4200000,
        "CS",
        [
            "Introduction to Programming",
            "Data Structures",
            "Algorithms",
            "Databases",
            "Operating Systems",
            "Computer Networks",
            "Machine Learning",
            "Compilers",
        ],
    ),
    (
        "Mathematics",
        "Euler Building",
        "Science",
        2600000,
        "MATH",
        [
            "Calculus I",
            "Calculus II",
            "Linear Algebra",
            "Probability",
            "Real Analysis",
            "Number Theory",
            "Topology",
        ],
    ),
    (
        "Physics",
        "Curie Building",
        "Science",
        3100000,
        "PHYS",
        [
            "Mechanics",
            "Electromagnetism",
            "Thermodynamics",
            "Quantum Mechanics",
            "Optics",
            "Astrophysics",
        ],
    ),
    (
        "Biology",
        "Darwin Hall",
        "Science",
        3400000,
        "BIO",
        ["Cell Biology", "Genetics", "Ecology", "Microbiology", "Evolution", "Neuroscience"],
    ),
    (
        "History",
        "Gibbon House",
        "Arts",
        1200000,
        "HIST",
        ["World History", "Medieval Europe", "Ancient Rome", "Modern Asia", "History of Science"],
    ),
    (
        "Economics",
        "Smith Building",
        "Business",
        2200000,
        "ECON",
        [
            "Microeconomics",
            "Macroeconomics",
            "Econometrics",
            "Game Theory",
            "Public Finance",
            "Development Economics",
        ],
    ),
    (
        "Philosophy",
        "Gibbon House",
        "Arts",
        900000,
        "PHIL",
        ["Logic", "Ethics", "Philosophy of Mind", "Ancient Philosophy", "Epistemology"],
    ),
    (
        "Mechanical Engineering",
        "Watt Laboratory",
        "Engineering",
        3900000,
        "MECH",
        ["Statics", "Dynamics", "Fluid Mechanics", "Heat Transfer", "Machine Design", "Robotics"],
    ),
]
TITLES = [
    "Lecturer",
    "Assistant Professor",
    "Assistant Professor",
    "Associate Professor",
    "Professor",
]
TITLE_PAY = {
    "Lecturer": 62000,
    "Assistant Professor": 78000,
    "Associate Professor": 94000,
    "Professor": 121000,
}
HOMES = [
    ("Boston", "USA"),
    ("Chicago", "USA"),
    ("Austin", "USA"),
    ("Toronto", "Canada"),
    ("Vancouver", "Canada"),
    ("London", "UK"),
    ("Manchester", "UK"),
    ("Berlin", "Germany"),
    ("Munich", "Germany"),
    ("Lyon", "France"),
    ("Madrid", "Spain"),
    ("Mumbai", "India"),
    ("Delhi", "India"),
    ("Shanghai", "China"),
    ("Seoul", "South Korea"),
    ("Lagos", "Nigeria"),
    ("Mexico City", "Mexico"),
    ("Sao Paulo", "Brazil"),
]
TERMS = ["2023-Fall", "2024-Spring", "2024-Fall"]


def make_university(path: Path) -> None:
    rng = random.Random(33)
    con = _create(path, UNIVERSITY_DDL)
    con.executemany(
        "INSERT INTO departments VALUES (?,?,?,?,?)",
        [(i + 1, d[0], d[1], d[2], float(d[3])) for i, d in enumerate(DEPARTMENTS)],
    )
    profs = []
    for i, (first, last, _) in enumerate(_unique_people(rng, 56), start=1):
        dept = (i - 1) % len(DEPARTMENTS) + 1
        title = rng.choice(TITLES)
        hire = _date(rng, dt.date(1992, 1, 1), dt.date(2024, 8, 1))
        profs.append(
            (
                i,
                first,
                last,
                dept,
                title,
                hire.isoformat(),
                float(round(TITLE_PAY[title] * rng.uniform(0.9, 1.2), -2)),
                f"{first[0].lower()}{last.lower()}@uni.example.edu",
            )
        )
    con.executemany("INSERT INTO professor VALUES (?,?,?,?,?,?,?,?)", profs)
    courses = []
    for d, dep in enumerate(DEPARTMENTS, start=1):
        first_id = len(courses) + 1
        for k, title in enumerate(dep[5]):
            level = min(400, 100 + 100 * (k // 2))
            cid = len(courses) + 1
            # Roughly every second course after the first needs an earlier one of its department.
            prereq = rng.randrange(first_id, cid) if k > 0 and rng.random() < 0.6 else None
            courses.append(
                (
                    cid,
                    f"{dep[4]}{level + k + 1}",
                    title,
                    d,
                    rng.choice([3, 3, 4, 4, 5, 6]),
                    level,
                    prereq,
                )
            )
    con.executemany("INSERT INTO course VALUES (?,?,?,?,?,?,?)", courses)
    studs = []
    for sid in range(1, 1401):
        first, last, _ = _person(rng)
        year = rng.choice([2020, 2021, 2022, 2022, 2023, 2023, 2024, 2024])
        born = _date(rng, dt.date(year - 21, 1, 1), dt.date(year - 17, 12, 31))
        home = rng.choice(HOMES[:5] * 3 + HOMES)
        major = rng.randint(1, 8) if rng.random() < 0.93 else None
        adv = None
        if major is not None and rng.random() < 0.9:
            adv = rng.choice([p[0] for p in profs if p[3] == major])
        studs.append((sid, first, last, born.isoformat(), home[0], home[1], year, major, adv))
    con.executemany("INSERT INTO students VALUES (?,?,?,?,?,?,?,?,?)", studs)
    enr = set()
    grades = ["A", "A", "B", "B", "B", "C", "C", "D", "F"]
    for s in studs:
        for term in TERMS:
            if term == "2023-Fall" and s[6] == 2024:
                continue
            for c in rng.sample(courses, rng.choice([0, 1, 1, 2])):
                grade = None if term == "2024-Fall" and rng.random() < 0.5 else rng.choice(grades)
                enr.add((s[0], c[0], term, grade))
    con.executemany("INSERT INTO enrollments VALUES (?,?,?,?)", sorted(enr))
    teach = set()
    for c in courses:
        staff = [p[0] for p in profs if p[3] == c[3]]
        for term in TERMS:
            if rng.random() < 0.75:
                teach.add((rng.choice(staff), c[0], term))
    con.executemany("INSERT INTO teaching_assignment VALUES (?,?,?)", sorted(teach))
    con.commit()
    con.close()


# --------------------------------------------------------------------------- recipes

CUISINES = [
    "Italian",
    "Mexican",
    "Indian",
    "Thai",
    "Japanese",
    "French",
    "Greek",
    "Moroccan",
    "American",
    "Chinese",
]
COURSES = ["main", "main", "main", "starter", "dessert", "side", "breakfast"]
DISHES = {
    "main": [
        "Curry",
        "Stew",
        "Risotto",
        "Tacos",
        "Stir-Fry",
        "Pasta",
        "Tagine",
        "Roast",
        "Burger",
        "Noodle Bowl",
        "Casserole",
        "Skewers",
    ],
    "starter": ["Soup", "Salad", "Dumplings", "Bruschetta", "Fritters", "Spring Rolls"],
    "dessert": ["Tart", "Cake", "Pudding", "Sorbet", "Cookies", "Custard"],
    "side": ["Rice", "Flatbread", "Slaw", "Roasted Vegetables", "Beans"],
    "breakfast": ["Pancakes", "Omelette", "Porridge", "Granola", "Shakshuka"],
}
MAIN_INGREDIENTS = {
    "main": [
        "Chicken",
        "Beef",
        "Lamb",
        "Pork",
        "Salmon",
        "Shrimp",
        "Tofu",
        "Chickpea",
        "Mushroom",
        "Lentil",
        "Eggplant",
        "Duck",
    ],
    "starter": ["Tomato", "Pumpkin", "Pea", "Corn", "Zucchini", "Crab", "Pork", "Spinach"],
    "dessert": ["Lemon", "Chocolate", "Mango", "Apple", "Coconut", "Pear", "Raspberry"],
    "side": ["Garlic", "Carrot", "Sesame", "Cabbage", "Potato", "Sweet Potato"],
    "breakfast": ["Blueberry", "Banana", "Ricotta", "Cheese", "Spinach", "Strawberry"],
}
MEAT = {"Chicken", "Beef", "Lamb", "Pork", "Salmon", "Shrimp", "Duck", "Crab"}
STYLE = {
    "Italian": ["Tuscan", "Roman"],
    "Mexican": ["Oaxacan", "Smoky"],
    "Indian": ["Goan", "Punjabi"],
    "Thai": ["Green", "Red"],
    "Japanese": ["Miso", "Teriyaki"],
    "French": ["Provencal", "Parisian"],
    "Greek": ["Aegean", "Cretan"],
    "Moroccan": ["Harissa", "Saffron"],
    "American": ["Southern", "Classic"],
    "Chinese": ["Sichuan", "Cantonese"],
}
SAVORY_PANTRY = [
    ("garlic", "clove"),
    ("onion", "piece"),
    ("olive oil", "tbsp"),
    ("butter", "g"),
    ("salt", "tsp"),
    ("black pepper", "tsp"),
    ("rice", "g"),
    ("tomatoes", "g"),
    ("ginger", "g"),
    ("chili", "piece"),
    ("lemon juice", "tbsp"),
    ("soy sauce", "tbsp"),
    ("cumin", "tsp"),
    ("coriander", "g"),
    ("parsley", "g"),
    ("coconut milk", "ml"),
    ("cream", "ml"),
    ("parmesan", "g"),
    ("basil", "g"),
    ("eggs", "piece"),
    ("flour", "g"),
]
SWEET_PANTRY = [
    ("flour", "g"),
    ("sugar", "g"),
    ("butter", "g"),
    ("eggs", "piece"),
    ("milk", "ml"),
    ("cream", "ml"),
    ("vanilla", "tsp"),
    ("honey", "tbsp"),
    ("lemon juice", "tbsp"),
    ("salt", "tsp"),
    ("cinnamon", "tsp"),
    ("oats", "g"),
    ("coconut milk", "ml"),
]
TAGS = [
    "quick",
    "spicy",
    "gluten-free",
    "dairy-free",
    "kid-friendly",
    "one-pot",
    "make-ahead",
    "low-carb",
    "high-protein",
    "budget",
    "holiday",
    "comfort food",
]
AUTHORS = [
    ("Giulia Bianchi", "Italy"),
    ("Sofia Marino", "Italy"),
    ("Luis Hernandez", "Mexico"),
    ("Ana Morales", "Mexico"),
    ("Priya Sharma", "India"),
    ("Arjun Mehta", "India"),
    ("Niran Chaiyaporn", "Thailand"),
    ("Yuki Tanaka", "Japan"),
    ("Hiro Sato", "Japan"),
    ("Claire Dubois", "France"),
    ("Eleni Papadopoulou", "Greece"),
    ("Youssef Amrani", "Morocco"),
    ("Emily Carter", "USA"),
    ("Jake Miller", "USA"),
    ("Li Wei", "China"),
    ("Sarah Brooks", "UK"),
    ("Tom Fischer", "Germany"),
    ("Marta Kowalska", "Poland"),
]
VARIANTS = ["Deluxe", "Light", "Family Style", "Express", "Supreme"]
EQUIPMENT = [
    "oven",
    "skillet",
    "wok",
    "blender",
    "stand mixer",
    "slow cooker",
    "grill",
    "dutch oven",
    "food processor",
]


def make_recipes(path: Path) -> None:
    rng = random.Random(44)
    seen: set[str] = set()
    with path.open("w", encoding="utf-8") as out:
        n = 0
        while n < 2000:
            cuisine = rng.choice(CUISINES)
            course = rng.choice(COURSES)
            main = rng.choice(MAIN_INGREDIENTS[course])
            dish = rng.choice(DISHES[course])
            title = f"{rng.choice(STYLE[cuisine])} {main} {dish}"
            if title in seen:
                title = f"{title} {rng.choice(VARIANTS)}"
                if title in seen:
                    continue
            seen.add(title)
            n += 1
            author = rng.choice(AUTHORS)
            difficulty = rng.choices(["easy", "medium", "hard"], weights=[45, 40, 15])[0]
            prep = rng.choice([5, 10, 10, 15, 15, 20, 25, 30, 45])
            cook = (
                0
                if course == "side" and rng.random() < 0.2
                else rng.choice([10, 15, 20, 25, 30, 40, 45, 60, 90, 120])
            )
            items = [
                {
                    "name": main.lower(),
                    "quantity": rng.choice([200, 250, 300, 400, 500]),
                    "unit": "g",
                }
            ]
            pantry = SWEET_PANTRY if course in ("dessert", "breakfast") else SAVORY_PANTRY
            for name, unit in rng.sample(pantry, rng.randint(3, 8)):
                qty = {
                    "g": rng.choice([10, 25, 50, 100, 200]),
                    "ml": rng.choice([50, 100, 200, 400]),
                    "tbsp": rng.choice([1, 2, 3]),
                    "tsp": rng.choice([0.5, 1, 2]),
                    "clove": rng.choice([2, 3, 4]),
                    "piece": rng.choice([1, 2, 3]),
                }[unit]
                item = {"name": name, "quantity": qty, "unit": unit}
                if rng.random() < 0.1:
                    item["optional"] = True
                items.append(item)
            doc: dict = {
                "id": f"rcp-{n:04d}",
                "title": title,
                "cuisine": cuisine,
                "course": course,
                "difficulty": difficulty,
                "prepMinutes": prep,
                "cookMinutes": cook,
                "servings": rng.choice([1, 2, 2, 4, 4, 4, 6, 8]),
                "vegetarian": main not in MEAT,
                "author": {"name": author[0], "country": author[1]},
                "tags": sorted(rng.sample(TAGS, rng.randint(0, 4))),
                "ingredients": items,
                "published": _date(rng, dt.date(2019, 1, 1), dt.date(2024, 12, 31)).isoformat(),
                "costPerServing": round(rng.uniform(0.8, 9.5), 2),
            }
            if rng.random() < 0.85:
                count = rng.randint(1, 900)
                doc["rating"] = {"average": round(rng.uniform(2.5, 5.0), 1), "count": count}
            if rng.random() < 0.6:
                doc["nutrition"] = {
                    "calories": rng.randrange(120, 980, 5),
                    "proteinGrams": rng.randint(2, 60),
                    "fatGrams": rng.randint(1, 55),
                }
            if rng.random() < 0.5:
                doc["equipment"] = sorted(rng.sample(EQUIPMENT, rng.randint(1, 3)))
            if rng.random() < 0.3:
                doc["reviews"] = [
                    {
                        "user": rng.choice(FIRST_F + FIRST_M).lower() + str(rng.randint(1, 99)),
                        "stars": rng.randint(1, 5),
                        "date": _date(rng, dt.date(2020, 1, 1), dt.date(2024, 12, 31)).isoformat(),
                    }
                    for _ in range(rng.randint(1, 3))
                ]
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")


def main() -> None:
    """Write all four data sets under data/blind (or --out)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "blind")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    make_clinic(args.out / "clinic.sqlite")
    make_fleet(args.out / "fleet.sqlite")
    make_university(args.out / "university.sqlite")
    make_recipes(args.out / "recipes.jsonl")
    print(f"wrote clinic.sqlite, fleet.sqlite, university.sqlite, recipes.jsonl to {args.out}")


if __name__ == "__main__":
    main()
