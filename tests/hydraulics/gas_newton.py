"""Independent steady-state gas network solve in NumPy/SciPy, for tests and the bench.

The same equations as corridor's C++ solver (include/corridor/hydraulics.h), written again
from the formulas, not translated from the C++:

  pipe:      p_i^2 - e^S p_j^2 = Lambda (e^S - 1)/S q|q|,
             Lambda = 16 lambda R_s z_m T L / (pi^2 D^5), S = 2 g (h_j - h_i) / (R_s z_m T),
             lambda = (2 log10(D/k) + 1.138)^-2 (Nikuradse),
             z_m = Papay at p_m = 2/3 (p_i + p_j - p_i p_j / (p_i + p_j));
  resistor:  p_i^2 - p_j^2 = 16 zeta R_s z_m T / (pi^2 D^4) q|q|;
  valve:     p_i = p_j (the two nodes are merged);
  station:   p_j = set (outlet-pressure mode) or p_j = ratio p_i (ratio mode);
  regulator: p_j = set;
  nodes:     mass balance where the pressure is not set.

The same algorithm as corridor's (hydraulics.h, "Method"): the global gradient method
(Todini & Pilati 1988), Newton on branch flows and squared pressures (offsets from the highest
set pressure squared) reduced to the nodal system, the exact Jacobian, every linear system by
scipy.sparse.linalg.spsolve (SuperLU); a start of two linear solves with pipes as linear
resistances; q sqrt(q^2 + q_s^2) for q|q| with the smoothing shrinking from 1e-9 to 1e-18 of
p_ref^2; backtracking line search. Zero-injection dead ends are removed first and get
hydrostatic pressures afterwards. Ratio stations are kept as equations (corridor merges them;
the equations are the same).

Input: a network JSON as written by corridor's hydraulics dump (bench/hydraulic_dump.h), or a
GasLib .net/.scn pair read here with xml.etree plus the settings (modes, set points, reference
nodes) from such a JSON.
"""
import json
import math
import time
import xml.etree.ElementTree as ET

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

R = 8.314462618
G = 9.80665
P_NORMAL = 101325.0


class Network:
    """Plain arrays, SI units."""

    def __init__(self):
        self.gas = {}
        self.node_id = []
        self.height = []
        self.injection = []
        self.set_pressure = []  # NaN when free
        self.pipes = []  # (id, from, to, L, D, k)
        self.resistors = []  # (id, from, to, zeta, D)
        self.valves = []  # (id, from, to, open)
        self.compressors = []  # (id, from, to, mode, outlet_pressure, ratio)
        self.regulators = []  # (id, from, to, mode, outlet_pressure)


def load_json(path):
    with open(path) as f:
        d = json.load(f)
    net = Network()
    net.gas = d["gas"]
    for n in d["nodes"]:
        net.node_id.append(n["id"])
        net.height.append(n["height_m"])
        net.injection.append(n["injection_kg_per_s"])
        sp_ = n.get("set_pressure_pa")
        net.set_pressure.append(float("nan") if sp_ is None else sp_)
    for p in d["pipes"]:
        net.pipes.append((p["id"], p["from"], p["to"], p["length_m"], p["diameter_m"], p["roughness_m"]))
    for r in d.get("resistors", []):
        net.resistors.append((r["id"], r["from"], r["to"], r["drag_factor"], r["diameter_m"]))
    for v in d.get("valves", []):
        net.valves.append((v["id"], v["from"], v["to"], v["open"]))
    for c in d.get("compressors", []):
        net.compressors.append((c["id"], c["from"], c["to"], c["mode"], c["outlet_pressure_pa"], c["ratio"]))
    for c in d.get("regulators", []):
        net.regulators.append((c["id"], c["from"], c["to"], c["mode"], c["outlet_pressure_pa"]))
    return net


def _local(tag):
    return tag.split("}")[-1]


def _value(el, factor_by_unit, default_unit=None):
    unit = el.get("unit", default_unit)
    factor, offset = factor_by_unit[unit]
    return float(el.get("value")) * factor + offset


LENGTH = {"m": (1.0, 0.0), "meter": (1.0, 0.0), "km": (1e3, 0.0), "mm": (1e-3, 0.0)}
PRESSURE = {"bar": (1e5, 0.0), "barg": (1e5, P_NORMAL)}


def load_gaslib(net_path, scn_path, settings_json):
    """A GasLib instance read with xml.etree; gas properties and settings from the JSON dump
    (the JSON's topology is not used, only node ids are matched)."""
    with open(settings_json) as f:
        d = json.load(f)
    net = Network()
    net.gas = d["gas"]
    root = ET.parse(net_path).getroot()
    index = {}
    for section in root:
        if _local(section.tag) != "nodes":
            continue
        for n in section:
            i = len(net.node_id)
            index[n.get("id")] = i
            net.node_id.append(n.get("id"))
            h = 0.0
            for c in n:
                if _local(c.tag) == "height":
                    h = _value(c, LENGTH, "m")
            net.height.append(h)
            net.injection.append(0.0)
            net.set_pressure.append(float("nan"))
    for section in root:
        if _local(section.tag) != "connections":
            continue
        for e in section:
            kind = _local(e.tag)
            a, b, eid = index[e.get("from")], index[e.get("to")], e.get("id")
            vals = {_local(c.tag): c for c in e}
            if kind == "pipe":
                net.pipes.append((eid, a, b, _value(vals["length"], LENGTH), _value(vals["diameter"], LENGTH),
                                  _value(vals["roughness"], LENGTH)))
            elif kind == "resistor":
                net.resistors.append((eid, a, b, float(vals["dragFactor"].get("value")),
                                      _value(vals["diameter"], LENGTH)))
            elif kind in ("valve", "shortPipe"):
                net.valves.append((eid, a, b, True))
            elif kind == "compressorStation":
                net.compressors.append((eid, a, b, "closed", 0.0, 1.0))
            elif kind == "controlValve":
                net.regulators.append((eid, a, b, "closed", 0.0))
    scn = ET.parse(scn_path).getroot()
    rho_n = net.gas["normal_density_kg_per_m3"]
    for s in scn:
        for n in s:
            if _local(n.tag) != "node":
                continue
            sign = 1.0 if n.get("type") == "entry" else -1.0
            for c in n:
                if _local(c.tag) == "flow" and c.get("bound") in ("both", "lower"):
                    net.injection[index[n.get("id")]] = sign * float(c.get("value")) * 1000.0 / 3600.0 * rho_n
    # Settings from the dump, matched by id.
    for n in d["nodes"]:
        if n.get("set_pressure_pa") is not None:
            net.set_pressure[index[n["id"]]] = n["set_pressure_pa"]
    by_id = {c["id"]: c for c in d.get("compressors", [])}
    net.compressors = [(cid, a, b, by_id[cid]["mode"], by_id[cid]["outlet_pressure_pa"], by_id[cid]["ratio"])
                       for (cid, a, b, _, _, _) in net.compressors]
    by_id = {c["id"]: c for c in d.get("regulators", [])}
    net.regulators = [(cid, a, b, by_id[cid]["mode"], by_id[cid]["outlet_pressure_pa"])
                      for (cid, a, b, _, _) in net.regulators]
    return net


def papay(p, gas):
    pr = p / gas["pseudo_critical_pressure_pa"]
    tr = gas["temperature_k"] / gas["pseudo_critical_temperature_k"]
    return 1.0 - 3.52 * pr * math.exp(-2.26 * tr) + 0.274 * pr * pr * math.exp(-1.878 * tr)


class Solver:
    def __init__(self, net, tol=1e-11, max_iter=60):
        self.net, self.tol, self.max_iter = net, tol, max_iter
        gas = net.gas
        self.rs = R / gas["molar_mass_kg_per_mol"]
        self.T = gas["temperature_k"]
        pc, tr = gas["pseudo_critical_pressure_pa"], gas["temperature_k"] / gas["pseudo_critical_temperature_k"]
        self.za = -3.52 * math.exp(-2.26 * tr) / pc
        self.zb = 0.274 * math.exp(-1.878 * tr) / pc ** 2
        n = len(net.node_id)
        # Merge open valves and bypassed stations/regulators.
        parent = list(range(n))

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for (_, a, b, is_open) in net.valves:
            if is_open:
                ra, rb = find(a), find(b)
                parent[max(ra, rb)] = min(ra, rb)
        for (_, a, b, mode, *_) in net.compressors + net.regulators:
            if mode == "bypass":
                ra, rb = find(a), find(b)
                parent[max(ra, rb)] = min(ra, rb)
        roots = sorted({find(v) for v in range(n)})
        sid = {r: i for i, r in enumerate(roots)}
        self.sup = np.array([sid[find(v)] for v in range(n)])
        ns = len(roots)
        self.ns = ns
        inj = np.zeros(ns)
        set_pi = np.full(ns, np.nan)
        for v in range(n):
            if math.isnan(net.set_pressure[v]):
                inj[self.sup[v]] += net.injection[v]
            else:
                set_pi[self.sup[v]] = net.set_pressure[v] ** 2
        self.is_ref = ~np.isnan(set_pi)
        # Branches: pipes and resistors.
        fr, to, k0, dh = [], [], [], []
        for (_, a, b, L, D, k) in net.pipes:
            lam = (2 * math.log10(D / k) + 1.138) ** -2
            fr.append(self.sup[a]); to.append(self.sup[b])
            k0.append(16 * lam * self.rs * self.T * L / (math.pi ** 2 * D ** 5))
            dh.append(net.height[b] - net.height[a])
        for (_, a, b, zeta, D) in net.resistors:
            fr.append(self.sup[a]); to.append(self.sup[b])
            k0.append(16 * zeta * self.rs * self.T / (math.pi ** 2 * D ** 4))
            dh.append(0.0)
        fr, to, k0, dh = np.array(fr, int), np.array(to, int), np.array(k0), np.array(dh)
        keep = fr != to
        # Active elements.
        act = []  # (a, b, pressure_mode, value)
        for (_, a, b, mode, p_out, ratio) in net.compressors:
            if mode == "outlet-pressure":
                act.append((self.sup[a], self.sup[b], True, p_out ** 2))
            elif mode == "ratio":
                act.append((self.sup[a], self.sup[b], False, ratio ** 2))
        for (_, a, b, mode, p_out) in net.regulators:
            if mode == "outlet-pressure":
                act.append((self.sup[a], self.sup[b], True, p_out ** 2))
        fixed = self.is_ref.copy()
        for (a, b, pm, val) in act:
            if pm:
                fixed[b] = True
                set_pi[b] = val
        # Dead ends without injection.
        touches = np.zeros(ns, bool)
        for (a, b, _, _) in act:
            touches[a] = touches[b] = True
        alive = keep.copy()
        deg = np.bincount(fr[alive], minlength=ns) + np.bincount(to[alive], minlength=ns)
        pruned = np.zeros(ns, bool)
        self.prune_order = []
        changed = True
        while changed:
            changed = False
            for s in range(ns):
                if deg[s] == 1 and not pruned[s] and not fixed[s] and not touches[s] and inj[s] == 0.0:
                    e = int(np.nonzero(alive & ((fr == s) | (to == s)))[0][0])
                    alive[e] = False
                    pruned[s] = True
                    deg[fr[e]] -= 1
                    deg[to[e]] -= 1
                    self.prune_order.append((e, s))
                    changed = True
        self.fr, self.to, self.k0, self.dh, self.alive = fr, to, k0, dh, alive
        self.pruned, self.fixed, self.set_pi, self.inj, self.act = pruned, fixed, set_pi, inj, act
        # Bases per zone: highest set pi in the zone, ratio-propagated.
        parent_z = list(range(ns))

        def fz(x):
            while parent_z[x] != x:
                parent_z[x] = parent_z[parent_z[x]]
                x = parent_z[x]
            return x

        for e in np.nonzero(alive)[0]:
            ra, rb = fz(fr[e]), fz(to[e])
            parent_z[max(ra, rb)] = min(ra, rb)
        zone = np.array([fz(s) for s in range(ns)])
        zbase = {}
        for s in range(ns):
            if fixed[s]:
                zbase[zone[s]] = max(zbase.get(zone[s], 0.0), set_pi[s])
        changed = True
        while changed:
            changed = False
            for (a, b, pm, val) in act:
                if pm:
                    continue
                if zone[b] not in zbase and zone[a] in zbase:
                    zbase[zone[b]] = val * zbase[zone[a]]; changed = True
                elif zone[a] not in zbase and zone[b] in zbase:
                    zbase[zone[a]] = zbase[zone[b]] / val; changed = True
        self.base = np.array([zbase.get(zone[s], 0.0) for s in range(ns)])
        self.pi_ref = max(self.base.max(), 1.0)
        # Unknowns: free super-nodes, then active flows.
        free = ~fixed & ~pruned
        self.col = np.full(ns, -1)
        self.col[free] = np.arange(free.sum())
        self.nf = int(free.sum())
        self.row = self.col.copy()
        self.nu = self.nf + len(act)
        for k, (a, b, pm, val) in enumerate(act):
            if pm:
                self.row[b] = self.nf + k
        self.eps = np.where(fixed, np.nan_to_num(set_pi) - self.base, 0.0)
        q_in = np.array(net.injection)[np.isnan(np.array(net.set_pressure))]
        self.qref = max(q_in[q_in > 0].sum(), -q_in[q_in < 0].sum(), 1e-300) if len(q_in) else 1.0
        self.iterations = 0

    # --- evaluation -----------------------------------------------------------------------
    def _set(self, x):
        eps = self.eps.copy()
        free = self.col >= 0
        eps[free] = x[self.col[free]] * self.pi_ref
        return eps

    def law(self, eps, q, derivs, linear_r=None):
        """Branch laws at pressures eps (offsets) and flows q (all branches; dead ones ignored):
        residual r = friction - (pi_a - e^S pi_b), its relative size, and with derivs the slope
        D = dr/dq and dq/dpi at both ends (exact, with z(p_m))."""
        e = np.nonzero(self.alive)[0]
        a, b = self.fr[e], self.to[e]
        pia, pib = self.base[a] + eps[a], self.base[b] + eps[b]
        pa, pb = np.sqrt(np.maximum(pia, 1.0)), np.sqrt(np.maximum(pib, 1.0))
        pm = 2.0 / 3.0 * (pa + pb - pa * pb / (pa + pb))
        z = 1.0 + self.za * pm + self.zb * pm * pm
        s = 2 * G * self.dh[e] / (self.rs * z * self.T)
        em1 = np.expm1(s)
        c = 1.0 + em1
        phi = np.where(s == 0.0, 1.0, em1 / np.where(s == 0.0, 1.0, s))
        delta = (eps[a] - eps[b]) - em1 * pib
        qe = q[e]
        if linear_r is not None:
            r = linear_r[e] * qe - delta
            return e, r, None, linear_r[e], 1.0 / linear_r[e], -c / linear_r[e]
        kz = self.k0[e] * z * phi
        root = np.sqrt(qe * qe + self.qs[e] ** 2)
        rhs = kz * qe * root
        r = rhs - delta
        rel = np.abs(r) / np.maximum.reduce([np.abs(delta), np.abs(rhs), np.abs(em1) * pib,
                                              1e-7 * np.maximum(pia, pib)])
        if not derivs:
            return e, r, rel, None, None, None
        d = kz * (root + qe * qe / root)
        g = 1.0 / d
        dz = self.za + 2 * self.zb * pm
        ssum = pa + pb
        dza = dz * 2 / 3 * (1 - pb * pb / ssum ** 2) / (2 * pa)
        dzb = dz * 2 / 3 * (1 - pa * pa / ssum ** 2) / (2 * pb)
        dr_dz = self.k0[e] * (2 * phi - c) * qe * root - c * s * pib / z
        return e, r, rel, d, g - g * dr_dz * dza, -g * c - g * dr_dz * dzb

    def node_residual(self, x, q):
        eps = self._set(x)
        f = np.zeros(self.nu)
        rows = self.row >= 0
        np.add.at(f, self.row[rows], self.inj[rows] / self.qref)
        e = np.nonzero(self.alive)[0]
        ra, rb = self.row[self.fr[e]], self.row[self.to[e]]
        m = ra >= 0
        np.add.at(f, ra[m], -q[e][m] / self.qref)
        m = rb >= 0
        np.add.at(f, rb[m], q[e][m] / self.qref)
        for k, (ia, ib, pm, val) in enumerate(self.act):
            qk = x[self.nf + k]
            if self.row[ia] >= 0:
                f[self.row[ia]] -= qk
            if self.row[ib] >= 0:
                f[self.row[ib]] += qk
            if not pm:
                f[self.nf + k] = ((self.base[ib] + eps[ib]) - val * (self.base[ia] + eps[ia])) / self.pi_ref
        return f, eps

    def matrix(self, e, da, db):
        a, b = self.fr[e], self.to[e]
        ra, rb, ca, cb = self.row[a], self.row[b], self.col[a], self.col[b]
        sc = self.pi_ref / self.qref
        rows, cols, vals = [], [], []
        for (r, c, v) in ((ra, ca, -da), (ra, cb, -db), (rb, ca, da), (rb, cb, db)):
            m = (r >= 0) & (c >= 0)
            rows.append(r[m]); cols.append(c[m]); vals.append(v[m] * sc)
        er, ec, ev = [], [], []
        for k, (ia, ib, pm, val) in enumerate(self.act):
            ck = self.nf + k
            if self.row[ia] >= 0:
                er.append(self.row[ia]); ec.append(ck); ev.append(-1.0)
            if self.row[ib] >= 0:
                er.append(self.row[ib]); ec.append(ck); ev.append(1.0)
            if not pm:
                if self.col[ia] >= 0:
                    er.append(ck); ec.append(self.col[ia]); ev.append(-val)
                if self.col[ib] >= 0:
                    er.append(ck); ec.append(self.col[ib]); ev.append(1.0)
        rows.append(np.array(er, int)); cols.append(np.array(ec, int)); vals.append(np.array(ev))
        return sp.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                             shape=(self.nu, self.nu))

    def step(self, x, q, f, linear_r=None):
        """One linearised (global gradient) step: dx for the node system, dq for the branches."""
        eps = self._set(x)
        e, r, _, d, da, db = self.law(eps, q, True, linear_r)
        rhs = f.copy()
        mm = r / d / self.qref
        ra, rb = self.row[self.fr[e]], self.row[self.to[e]]
        m = ra >= 0
        np.add.at(rhs, ra[m], mm[m])
        m = rb >= 0
        np.add.at(rhs, rb[m], -mm[m])
        dx = spla.spsolve(self.matrix(e, da, db), -rhs) if self.nu else np.zeros(0)
        dx = np.atleast_1d(dx)
        ca, cb = self.col[self.fr[e]], self.col[self.to[e]]
        dpa = np.where(ca >= 0, dx[np.maximum(ca, 0)] * self.pi_ref, 0.0) if self.nu else 0.0
        dpb = np.where(cb >= 0, dx[np.maximum(cb, 0)] * self.pi_ref, 0.0) if self.nu else 0.0
        dq = np.zeros(len(q))
        dq[e] = -r / d + da * dpa + db * dpb
        return dx, dq, e, d

    # --- solve ----------------------------------------------------------------------------
    def solve(self):
        x = np.zeros(self.nu)
        q = np.zeros(len(self.fr))
        z0 = 1.0 + self.za * math.sqrt(self.pi_ref) + self.zb * self.pi_ref
        self.q_unit = np.sqrt(2.0 * self.pi_ref / (self.k0 * z0))
        # Linear start: two solves, resistances Lambda q_typ (q_ref, then each branch's flow).
        for pass_ in range(2):
            qt = np.full(len(q), self.qref) if pass_ == 0 else np.maximum(np.abs(q), 1e-3 * self.qref)
            lr = self.k0 * z0 * qt
            f, _ = self.node_residual(x, q)
            dx, dq, _, _ = self.step(x, q, f, lr)
            x, q = x + dx, q + dq
        eps_reg = 1e-9
        self.history = []
        for it in range(self.max_iter + 1):
            self.qs = self.q_unit * math.sqrt(eps_reg)
            f, epsv = self.node_residual(x, q)
            _, r, rel, _, _, _ = self.law(epsv, q, False)
            node_max = float(np.abs(f).max()) if len(f) else 0.0
            law_max = float(rel.max()) if len(rel) else 0.0
            self.history.append(max(node_max, law_max))
            at_end = eps_reg <= 1e-18
            eps_reg = 1e-18 if (node_max <= 1e-6 and law_max <= 1e-6) else max(1e-18, eps_reg * 1e-2)
            if at_end and node_max <= self.tol and law_max <= 1e-9:
                self.x, self.q = x, q
                return True
            if it == self.max_iter:
                break
            dx, dq, e, d = self.step(x, q, f)
            self.iterations += 1

            def merit(ff, rr):
                w = rr / d / self.qref
                return 0.5 * (ff @ ff + w @ w)

            phi = merit(f, r)
            t = 1.0
            for _ in range(40):
                xt, qt_ = x + t * dx, q + t * dq
                ft, et = self.node_residual(xt, qt_)
                _, rt, _, _, _, _ = self.law(et, qt_, False)
                if np.isfinite(merit(ft, rt)) and merit(ft, rt) <= (1 - 2e-4 * t) * phi:
                    break
                t *= 0.5
            else:
                break
            x, q = xt, qt_
        self.x, self.q = x, q
        return False

    def results(self):
        """Pressures per original node (Pa), flows per pipe and resistor, station flows (kg/s)."""
        eps = self._set(self.x)
        # Pruned dead ends: zero flow, pi_from = e^S pi_to, iterate z.
        for (e, s) in reversed(self.prune_order):
            a, b = self.fr[e], self.to[e]
            known = b if s == a else a
            pik = self.base[known] + eps[known]
            pil = pik
            for _ in range(30):
                pm = 2 / 3 * (math.sqrt(pik) + math.sqrt(pil) - math.sqrt(pik * pil) / (math.sqrt(pik) + math.sqrt(pil)))
                z = 1.0 + self.za * pm + self.zb * pm * pm
                c = math.exp(2 * G * self.dh[e] / (self.rs * z * self.T))
                pil = c * pik if s == a else pik / c
            self.base[s], eps[s] = pik, pil - pik
        pi = self.base + eps
        p = np.sqrt(pi)[self.sup]
        flow = np.where(self.alive, self.q, 0.0)
        npipe = len(self.net.pipes)
        act_flow = self.x[self.nf:] * self.qref
        return p, flow[:npipe], flow[npipe:], act_flow


def solve_file(path, tol=1e-11):
    net = load_json(path)
    t0 = time.perf_counter()
    s = Solver(net, tol=tol)
    ok = s.solve()
    t1 = time.perf_counter()
    return s, ok, t1 - t0
