// Steady-state gas network solver (hydraulics.h): reduction, well-posedness, Newton on Eigen.
// Eigen is used from sim/hydraulics/ only.
#include <klu.h>

#include <Eigen/OrderingMethods>
#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <numeric>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corridor/hydraulics.h"

namespace corridor {

std::string_view station_mode_name(StationMode m) {
  switch (m) {
    case StationMode::OutletPressure:
      return "outlet-pressure";
    case StationMode::Ratio:
      return "ratio";
    case StationMode::Bypass:
      return "bypass";
    case StationMode::Closed:
      return "closed";
  }
  return "?";
}

std::string_view hydraulic_status_name(HydraulicStatus s) {
  switch (s) {
    case HydraulicStatus::Converged:
      return "converged";
    case HydraulicStatus::IllPosed:
      return "ill-posed";
    case HydraulicStatus::InvalidInput:
      return "invalid-input";
    case HydraulicStatus::NoConvergence:
      return "no-convergence";
    case HydraulicStatus::LineSearchFailed:
      return "line-search-failed";
    case HydraulicStatus::SingularJacobian:
      return "singular-jacobian";
    case HydraulicStatus::NegativePressure:
      return "negative-pressure";
  }
  return "?";
}

std::string_view violation_kind_name(ViolationKind k) {
  switch (k) {
    case ViolationKind::PressureBelowMin:
      return "pressure-below-min";
    case ViolationKind::PressureAboveMax:
      return "pressure-above-max";
    case ViolationKind::AboveMaop:
      return "above-maop";
    case ViolationKind::PowerExceeded:
      return "power-exceeded";
    case ViolationKind::RatioExceeded:
      return "ratio-exceeded";
    case ViolationKind::StationWouldThrottle:
      return "station-would-throttle";
    case ViolationKind::StationReverseFlow:
      return "reverse-flow";
    case ViolationKind::SuctionBelowMin:
      return "suction-below-min";
    case ViolationKind::DischargeAboveMax:
      return "discharge-above-max";
    case ViolationKind::RegulatorCannotHold:
      return "regulator-cannot-hold";
    case ViolationKind::Isolated:
      return "isolated";
  }
  return "?";
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// Near zero flow the Newton iteration uses q sqrt(q^2 + q_s^2) for q|q|, with q_s per branch
/// such that Lambda q_s^2 / 2 = eps p_ref^2 (p_ref the highest set pressure): the law is then
/// smooth with a positive slope at q = 0, which Newton needs on meshes with zero and
/// near-zero flows, and differs from the model's by at most eps p_ref^2. eps starts at
/// kRegularisationStart and shrinks 100-fold per iteration to kRegularisationEnd, where the
/// difference is below the round-off of p^2; convergence is declared only there.
constexpr double kRegularisationStart = 1e-9;
constexpr double kRegularisationEnd = 1e-18;
constexpr double kRegularisationStep = 1e-2;
constexpr double kJumpResidual = 1e-6;
/// Defect-correction passes allowed per LDLT step before falling back to SparseLU.
constexpr int kMaxRefinements = 6;
/// Floor of the pipe-law residual's denominator, as a share of the larger squared end pressure:
/// p_in^2 - e^S p_out^2 evaluated from double pressures carries a round-off of about
/// 4.4e-16 p^2, so checked at 1e-8 a term below 1e-7 p^2 (a pressure difference of 5e-8 p,
/// 0.35 Pa at 70 bar) cannot be resolved.
/// The denominator is the largest of the law's terms: the difference p_in^2 - e^S p_out^2, the
/// friction term, the height term (e^S - 1) p_out^2, and this floor.
constexpr double kPipeLawFloorShare = 1e-7;
/// Convergence needs every branch law to hold to this relative accuracy (the tests ask 1e-8 at
/// the reported, rounded pressures; the offsets resolve p^2 to about 1e-17 p^2, 1e-10 of the
/// floor).
constexpr double kLawTolerance = 1e-9;
/// Pressure-bound violations smaller than this are rounding, not findings.
constexpr double kBoundSlackPa = 1e-3;

struct UnionFind {
  std::vector<int> parent;
  explicit UnionFind(int n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  int find(int x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void join(int a, int b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

/// "'a', 'b', 'c' and 2 more".
std::string list_ids(const std::vector<std::string>& ids, std::size_t max_shown = 5) {
  std::string s;
  for (std::size_t i = 0; i < ids.size() && i < max_shown; ++i) {
    if (i > 0) s += (i + 1 == ids.size() && ids.size() <= max_shown) ? " and " : ", ";
    s += "'" + ids[i] + "'";
  }
  if (ids.size() > max_shown) s += " and " + std::to_string(ids.size() - max_shown) + " more";
  return s;
}

bool finite_positive(double x) { return std::isfinite(x) && x > 0.0; }

/// Lists of ints per group (compressed rows): what a vector of vectors holds, in two
/// allocations instead of one per group.
struct Groups {
  std::vector<int> start{0};  // group g's items are items[start[g] .. start[g + 1])
  std::vector<int> items;
  std::span<const int> operator[](int g) const {
    return {items.data() + start[g], items.data() + start[g + 1]};
  }
  /// From (group, item) pairs in the order they should keep within each group.
  static Groups from_pairs(int groups, const std::vector<std::pair<int, int>>& pairs) {
    Groups out;
    out.start.assign(groups + 1, 0);
    for (const auto& [g, item] : pairs) ++out.start[g + 1];
    for (int g = 0; g < groups; ++g) out.start[g + 1] += out.start[g];
    out.items.resize(pairs.size());
    std::vector<int> next(out.start.begin(), out.start.end() - 1);
    for (const auto& [g, item] : pairs) out.items[next[g]++] = item;
    return out;
  }
};

/// z at p: the polynomial laws inline, AGA-8 gross through the model (the same arithmetic as
/// CompressibilityModel::z and dz_dp, without a call per branch in the hot loops).
inline double z_at(const CompressibilityModel& m, double p) {
  return m.law != CompressibilityLaw::Aga8Gross ? m.z0 + p * (m.a + m.b * p) : m.z(p);
}
inline double dz_dp_at(const CompressibilityModel& m, double p) {
  return m.law != CompressibilityLaw::Aga8Gross ? m.a + 2.0 * m.b * p : m.dz_dp(p);
}
/// mean_pipe_pressure (gas_properties.cpp), inline.
inline double mean_pressure(double a_pa, double b_pa) {
  const double sum = a_pa + b_pa;
  if (sum <= 0.0) return 0.0;
  return 2.0 / 3.0 * (sum - a_pa * b_pa / sum);
}

/// A pipe or resistor in the reduced network.
struct Branch {
  bool is_pipe = true;
  int index = 0;                // into net.pipes or net.resistors
  int a = 0, b = 0;             // super-nodes (from, to)
  int va = 0, vb = 0;           // original nodes (from, to)
  double base = 0.0;            // the p^2 base of the zone both ends lie in
  double dh_m = 0.0;            // h_to - h_from (0 for resistors)
  double k0 = 0.0;              // 16 R_s T L / (pi^2 D^5) (pipe, without lambda and z) or
                                // 16 zeta R_s T / (pi^2 D^4) (resistor)
  double lambda = 1.0;          // friction factor when constant (resistors: 1)
  bool flow_dependent = false;  // Colebrook-White or Hofer
  double diameter_m = 0.0, roughness_m = 0.0;
  double q_unit = 0.0;   // q_s at eps = 1: q_s = q_unit sqrt(eps) (see kRegularisationStart)
  double q_small = 0.0;  // the current regularisation flow q_s
  bool pruned = false;
  int slot_aa = -1, slot_ab = -1, slot_ba = -1, slot_bb = -1;
  double linear_r = 0.0;  // the linear start's resistance, Pa^2 per kg/s
  double root_ee = 1.0;   // sqrt(e^-sigma_a e^-sigma_b), the symmetric matrix's factor at S = 0
};

/// A station or regulator kept as an element with its own flow unknown: one that sets an
/// outlet pressure, or a ratio station that could not be merged (see reduce()).
struct Active {
  bool is_compressor = true;
  int index = 0;
  int va = 0, vb = 0;  // original nodes (inlet, outlet)
  int a = 0, b = 0;    // super-nodes
  bool pressure_mode = true;
  double set_pi = 0.0;    // pressure mode
  double ratio_sq = 1.0;  // ratio mode
  int col = -1;           // its flow unknown
  int row = -1;           // outlet balance (pressure mode) or ratio equation (ratio mode)
  int slot_row_a = -1, slot_row_b = -1;      // d(balance a or b)/d(flow)
  int slot_ratio_a = -1, slot_ratio_b = -1;  // ratio row entries
};

/// A joining element inside a super-node: open valve, bypassed or ratio-merged station,
/// bypassed regulator. Its flow is found on a spanning tree after the solve.
struct Join {
  int kind = 0;  // 0 valve, 1 compressor, 2 regulator
  int index = 0;
  int from = 0, to = 0;  // original nodes
};

/// Eigen's SparseLU with smaller working-storage parameters (fill factor 4, panels of 8,
/// supernodes up to 64 columns instead of 20, 16, 128): the defaults are sized for large
/// matrices, and on gas-network Jacobians of a few hundred unknowns the smaller ones take
/// about 15 % fewer instructions (callgrind, GasLib-135). They only size buffers and blocks;
/// SparseLU grows its storage when short, so the factors are the same.
class SmallSparseLU
    : public Eigen::SparseLU<Eigen::SparseMatrix<double>, Eigen::COLAMDOrdering<int>> {
 public:
  SmallSparseLU() {
    m_perfv.fillfactor = 4;
    m_perfv.panel_size = 8;
    m_perfv.maxsuper = 64;
  }
};

/// SuiteSparse KLU on one sparsity pattern, called directly (Eigen's KLUSupport frees and
/// redoes the numeric factorisation, pivot search included, on every factorize). The first
/// factorisation after analyse() pivots (klu_factor); later ones reuse its pivot order and
/// only recompute the values (klu_refactor), which is what KLU was made for in circuit
/// simulation: a sequence of matrices with one pattern. A solve with reused pivots is checked
/// (solve_checked) and redone after a fresh, pivoting factorisation when it is not accurate.
class KluLu {
 public:
  KluLu() {
    klu_defaults(&common_);
    // No row scaling: klu_refactor rescans the whole matrix for it on every step (about a third
    // of its time on mesh-4000), the rows are scaled already (balances by the reference flow,
    // ratio equations by the reference p^2), and partial pivoting needs no scaling to be stable;
    // the pattern is compressed with sorted unique rows, so KLU's input check is skipped too.
    common_.scale = -1;
  }
  ~KluLu() { release(); }
  KluLu(const KluLu&) = delete;
  KluLu& operator=(const KluLu&) = delete;

  bool analyse(Eigen::SparseMatrix<double>& m) {
    release();
    symbolic_ =
        klu_analyze(static_cast<int>(m.rows()), m.outerIndexPtr(), m.innerIndexPtr(), &common_);
    return symbolic_ != nullptr;
  }
  /// Factorises m (same pattern as analysed); `fresh` forces a pivoting factorisation.
  bool factorize(Eigen::SparseMatrix<double>& m, bool fresh = false) {
    if (!symbolic_) return false;
    if (numeric_ && !fresh) {
      reused_ = true;
      if (klu_refactor(m.outerIndexPtr(), m.innerIndexPtr(), m.valuePtr(), symbolic_, numeric_,
                       &common_) == 1 &&
          common_.status == KLU_OK)
        return true;
    }
    reused_ = false;
    if (numeric_) klu_free_numeric(&numeric_, &common_);
    numeric_ = klu_factor(m.outerIndexPtr(), m.innerIndexPtr(), m.valuePtr(), symbolic_, &common_);
    return numeric_ != nullptr && common_.status == KLU_OK;
  }
  /// Solves m x = b in place (b becomes x).
  bool solve(Eigen::VectorXd& b) {
    return klu_solve(symbolic_, numeric_, static_cast<int>(b.size()), 1, b.data(), &common_) == 1;
  }
  /// Solves m x = b; when the factors reuse an earlier pivot order and the componentwise
  /// backward error max_i |b - m x|_i / (|m| |x| + |b|)_i exceeds 1e-12 (a stable
  /// factorisation gives about 1e-16), factorises afresh with pivoting and solves again.
  bool solve_checked(Eigen::SparseMatrix<double>& m, const Eigen::VectorXd& b, Eigen::VectorXd& x) {
    x = b;
    if (!solve(x)) return false;
    if (!reused_) return true;
    if (backward_error(m, b, x) <= 1e-12) return true;
    ++refreshes;
    if (!factorize(m, true)) return false;
    x = b;
    return solve(x);
  }
  int refreshes = 0;  ///< pivoting factorisations forced by an inaccurate reused order

 private:
  static double backward_error(const Eigen::SparseMatrix<double>& m, const Eigen::VectorXd& b,
                               const Eigen::VectorXd& x) {
    const int n = static_cast<int>(b.size());
    Eigen::VectorXd r = b, mag = b.cwiseAbs();
    const int* outer = m.outerIndexPtr();
    const int* inner = m.innerIndexPtr();
    const double* val = m.valuePtr();
    for (int c = 0; c < n; ++c)
      for (int k = outer[c]; k < outer[c + 1]; ++k) {
        r[inner[k]] -= val[k] * x[c];
        mag[inner[k]] += std::abs(val[k] * x[c]);
      }
    double worst = 0.0;
    for (int i = 0; i < n; ++i) {
      if (!std::isfinite(r[i])) return std::numeric_limits<double>::infinity();
      if (mag[i] > 0.0) worst = std::max(worst, std::abs(r[i]) / mag[i]);
    }
    return worst;
  }
  void release() {
    if (numeric_) klu_free_numeric(&numeric_, &common_);
    if (symbolic_) klu_free_symbolic(&symbolic_, &common_);
  }
  klu_common common_;
  klu_symbolic* symbolic_ = nullptr;
  klu_numeric* numeric_ = nullptr;
  bool reused_ = false;
};

/// m becomes the n x n pattern of the (column, row) pairs, compressed, rows sorted and unique
/// in each column, values zero: what setFromTriplets gives, without its row-major detour.
void compressed_pattern(int n, const std::vector<std::pair<int, int>>& col_row,
                        Eigen::SparseMatrix<double>& m) {
  Groups cols = Groups::from_pairs(n, col_row);
  std::vector<int> count(n);
  int nnz = 0;
  for (int c = 0; c < n; ++c) {
    int* lo = cols.items.data() + cols.start[c];
    int* hi = cols.items.data() + cols.start[c + 1];
    std::sort(lo, hi);
    count[c] = static_cast<int>(std::unique(lo, hi) - lo);
    nnz += count[c];
  }
  m.resize(n, n);
  m.resizeNonZeros(nnz);
  int* outer = m.outerIndexPtr();
  int* inner = m.innerIndexPtr();
  int k = 0;
  for (int c = 0; c < n; ++c) {
    outer[c] = k;
    const int* lo = cols.items.data() + cols.start[c];
    k = static_cast<int>(std::copy(lo, lo + count[c], inner + k) - inner);
  }
  outer[n] = k;
  std::fill(m.valuePtr(), m.valuePtr() + nnz, 0.0);
}

/// The branch law at the current pressures and a flow q (one global gradient step):
/// r = Lambda (e^S - 1)/S q|q| - (p_a^2 - e^S p_b^2), D = dr/dq, and the flow change per unit
/// pressure change dq/dpi = -(dr/dpi) / D (exact, with the z(p_m) terms).
/// The parts that depend on the pressures and q but not on the smoothing flow q_s are kept,
/// so that a new smoothing (every iteration while it shrinks) only redoes finish_law().
struct LawEval {
  double r = 0.0;  // residual, Pa^2
  double d = 1.0;  // dr/dq, Pa^2 per kg/s
  double dq_da = 0.0, dq_db = 0.0;
  double g = 1.0;    // 1 / d
  double rd = 0.0;   // r / d, the law residual as a flow (kg/s)
  double c = 1.0;    // e^S
  double rel = 0.0;  // |r| over the largest term of the law (as pipe_law_residual_rel)
  // Independent of q_s: delta = pi_a - c pi_b; den0 the largest of the law's terms other than
  // the friction term; kz = Lambda / lambda (e^S - 1)/S; lam = lambda(q) and dlam = its
  // derivative; az, bz: dr/dz = az q |q|_s - bz; dz_da, dz_db = dz_m/dpi_a, dz_m/dpi_b.
  double delta = 0.0, den0 = 0.0, kz = 0.0, lam = 1.0, dlam = 0.0;
  double az = 0.0, bz = 0.0, dz_da = 0.0, dz_db = 0.0;
};

/// Unknowns (see hydraulics.h, "Method"): node v's squared pressure is
///   pi_v = base_Z (1 + x_s),
/// with base_Z the reference p^2 of v's zone Z (nodes joined by pipes, resistors, open valves
/// and bypasses) and x_s the relative offset of v's super-node s (nodes joined by open valves,
/// bypasses and ratio stations). Zones linked by a ratio station r have base_out = r^2 base_in,
/// so the station's inlet and outlet share one unknown and p_out = r p_in holds exactly, with
/// no equation or flow unknown of its own. Every Jacobian entry of a branch in zone Z carries
/// the same factor base_Z, so the pipes' symmetric Jacobian stays symmetric.
class Solver {
 public:
  Solver(const HydraulicNetwork& net, const HydraulicOptions& opt) : net_(net), opt_(opt) {}
  HydraulicResult run();

 private:
  // Stages.
  bool validate();
  bool reduce();
  bool check_well_posed();
  void number_unknowns();
  void order_unknowns();
  void build_pattern();
  void initial_point();
  bool linear_start();
  void newton();
  void finish();
  void diagnose_negative_pressure();

  // Evaluation.
  double pi_node(int v) const { return zbase_[v] * (1.0 + xs_[super_of_[v]]); }
  void set_point(const std::vector<double>& x);
  /// The flow of branch `br` from the law at the current pressures (its exact inverse).
  double law_flow(const Branch& br) const;
  void eval_law(const Branch& br, double q, bool derivs, LawEval& out) const;
  /// The parts of eval_law that depend on the smoothing flow q_s, from out's other parts.
  void finish_law(const Branch& br, double q, bool derivs, LawEval& out) const;
  /// After a new smoothing: every law again at the same point (finish_law); returns the
  /// largest relative law residual.
  double resmooth_laws(const std::vector<double>& q, std::vector<LawEval>& law) const;
  /// Scaled node residual (with flows q) and ratio rows at x, and each branch's law; returns
  /// the largest node/ratio residual and the largest relative law residual.
  void gga_residual(const std::vector<double>& x, const std::vector<double>& q,
                    std::vector<double>& f, std::vector<LawEval>& law, double& node_max,
                    double& law_max, bool derivs);
  /// One linearised step at (x_, q_) with residual f: fills dx and dq. False if singular.
  bool gga_step(const std::vector<double>& f, const std::vector<LawEval>& law,
                std::vector<double>& dx, std::vector<double>& dq);
  void gga_jacobian(const std::vector<LawEval>& law);
  double lambda_at(const Branch& br, double q) const;
  double max_abs(const std::vector<double>& f) const;
  bool solve_linear(const std::vector<double>& f, std::vector<double>& dx);

  void fail(HydraulicStatus s, std::string msg) {
    res_.status = s;
    res_.message = std::move(msg);
  }

  const HydraulicNetwork& net_;
  const HydraulicOptions& opt_;
  HydraulicResult res_;
  double rs_ = 0.0;          // specific gas constant
  CompressibilityModel zp_;  // z(p): built once per solve
  double q_ref_ = 1.0;
  double pi_ref_ = 1.0;

  // Zones (per original node).
  std::vector<int> zone_of_;   // original node -> zone id (a node index)
  std::vector<double> zbase_;  // original node -> its zone's base p^2 (0: none)
  // Super-nodes.
  int n_super_ = 0;
  std::vector<int> super_of_;               // original node -> super-node
  Groups members_;                          // super-node -> original nodes
  std::vector<double> injection_;           // super-node fixed injection (non-reference)
  std::vector<int> reference_node_;         // super-node -> original reference node or -1
  std::vector<int> setters_;                // count of pressure setters
  std::vector<double> xs_;                  // super-node relative offset (current point)
  std::vector<double> pi_cache_, p_cache_;  // per original node at the current point
  std::vector<double> esig_;  // e^-sigma per super-node, sigma = 2 g h / (R_s z T) (see jacobian)
  std::vector<Branch> branches_;
  std::vector<Active> actives_;
  std::vector<Join> joins_;
  std::vector<char> pruned_node_;
  std::vector<std::pair<int, int>> prune_order_;  // (branch, dead-end super-node), in order
  std::vector<char> isolated_;
  int loop_station_ = -1;  // a ratio station in parallel with joins (flow not determined)

  // Unknowns and equations.
  int n_free_ = 0, n_unknowns_ = 0;
  std::vector<int> col_of_;  // super-node -> column (free) or -1
  std::vector<int> row_of_;  // super-node -> balance row or -1 (reference, pruned)
  std::vector<double> x_;
  std::vector<double> q_;  // branch flows (the global gradient iteration's flow state)
  bool symmetric_ = false;

  Eigen::SparseMatrix<double> jac_;     // J (SparseLU), or the symmetric S (LDLT)
  Eigen::SparseMatrix<double> jexact_;  // with LDLT: M = -J, for the defect correction
  // LDLT in the natural order of the unknowns, which order_unknowns() made the AMD order: the
  // matrix is assembled permuted already, so no permuted copy is made per factorisation.
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>, Eigen::Upper, Eigen::NaturalOrdering<int>>
      ldlt_;
  // The unsymmetric factorisation: KLU (default) or Eigen's SparseLU (HydraulicOptions::lu).
  KluLu klu_;
  SmallSparseLU slu_;
  bool lu_analyse(Eigen::SparseMatrix<double>& m) {
    if (opt_.lu == LuSolver::Klu) return klu_.analyse(m);
    slu_.analyzePattern(m);
    return true;
  }
  bool lu_factorize(Eigen::SparseMatrix<double>& m) {
    if (opt_.lu == LuSolver::Klu) return klu_.factorize(m);
    slu_.factorize(m);
    return slu_.info() == Eigen::Success;
  }
  /// Solves m x = b with the factors of m.
  bool lu_solve(Eigen::SparseMatrix<double>& m, const Eigen::VectorXd& b, Eigen::VectorXd& x) {
    if (opt_.lu == LuSolver::Klu) return klu_.solve_checked(m, b, x);
    x = slu_.solve(b);
    return true;
  }
  bool analysed_ = false;
  bool fallback_analysed_ = false;
  bool linear_mode_ = false;  // the linear start: branches as fixed linear resistances
};

bool Solver::validate() {
  const auto& g = net_.gas;
  const int n = static_cast<int>(net_.nodes.size());
  auto bad = [&](std::string msg) {
    fail(HydraulicStatus::InvalidInput, std::move(msg));
    return false;
  };
  if (!finite_positive(g.molar_mass_kg_per_mol) || !finite_positive(g.temperature_k) ||
      !finite_positive(g.pseudo_critical_pressure_pa) ||
      !finite_positive(g.pseudo_critical_temperature_k) ||
      !finite_positive(g.normal_density_kg_per_m3) || !(g.isentropic_exponent > 1.0) ||
      !finite_positive(g.dynamic_viscosity_pa_s))
    return bad("gas properties must be finite and positive (and kappa > 1)");
  if (opt_.compressibility == CompressibilityLaw::Constant && !finite_positive(opt_.constant_z))
    return bad("the constant z must be finite and positive");
  if (n == 0) return bad("the network has no nodes");
  auto node_ok = [&](int v) { return v >= 0 && v < n; };
  for (const auto& v : net_.nodes) {
    if (!std::isfinite(v.height_m) || !std::isfinite(v.injection_kg_per_s))
      return bad("node '" + v.id + "': height and injection must be finite");
    if (v.set_pressure_pa && !finite_positive(*v.set_pressure_pa))
      return bad("node '" + v.id + "': a set pressure must be finite and positive");
  }
  for (const auto& p : net_.pipes) {
    if (!node_ok(p.from) || !node_ok(p.to) || p.from == p.to)
      return bad("pipe '" + p.id + "': ends must be two different nodes");
    if (!finite_positive(p.length_m) || !finite_positive(p.diameter_m))
      return bad("pipe '" + p.id + "': length and diameter must be finite and positive");
    if (!(p.roughness_m > 0.0) || !(p.roughness_m < p.diameter_m))
      return bad("pipe '" + p.id + "': roughness must be positive and below the diameter");
  }
  for (const auto& r : net_.resistors) {
    if (!node_ok(r.from) || !node_ok(r.to) || r.from == r.to)
      return bad("resistor '" + r.id + "': ends must be two different nodes");
    if (!finite_positive(r.drag_factor) || !finite_positive(r.diameter_m))
      return bad("resistor '" + r.id + "': drag factor and diameter must be finite and positive");
  }
  for (const auto& v : net_.valves)
    if (!node_ok(v.from) || !node_ok(v.to) || v.from == v.to)
      return bad("valve '" + v.id + "': ends must be two different nodes");
  for (const auto& c : net_.compressors) {
    if (!node_ok(c.from) || !node_ok(c.to) || c.from == c.to)
      return bad("compressor station '" + c.id + "': ends must be two different nodes");
    if (c.mode == StationMode::OutletPressure && !finite_positive(c.outlet_pressure_pa))
      return bad("compressor station '" + c.id + "': outlet pressure must be positive");
    if (c.mode == StationMode::Ratio && !finite_positive(c.ratio))
      return bad("compressor station '" + c.id + "': ratio must be positive");
    if (!finite_positive(c.isentropic_efficiency) || c.isentropic_efficiency > 1.0)
      return bad("compressor station '" + c.id + "': efficiency must be in (0, 1]");
  }
  for (const auto& r : net_.regulators) {
    if (!node_ok(r.from) || !node_ok(r.to) || r.from == r.to)
      return bad("regulator '" + r.id + "': ends must be two different nodes");
    if (r.mode == StationMode::Ratio)
      return bad("regulator '" + r.id + "': a regulator holds an outlet pressure, not a ratio");
    if (r.mode == StationMode::OutletPressure && !finite_positive(r.outlet_pressure_pa))
      return bad("regulator '" + r.id + "': outlet pressure must be positive");
  }
  if (!opt_.initial_pressure_pa.empty()) {
    if (static_cast<int>(opt_.initial_pressure_pa.size()) != n)
      return bad("initial pressures: one per node is needed");
    for (double p : opt_.initial_pressure_pa)
      if (!finite_positive(p)) return bad("initial pressures must be finite and positive");
  }
  if (opt_.max_iterations < 1 || !(opt_.tolerance > 0.0))
    return bad("max_iterations must be at least 1 and tolerance positive");
  return true;
}

bool Solver::reduce() {
  const int n = static_cast<int>(net_.nodes.size());
  const auto& gas = net_.gas;
  rs_ = gas.specific_gas_constant();
  zp_ = compressibility_model(opt_.compressibility, gas, opt_.constant_z);
  if (!zp_.error.empty()) {
    fail(HydraulicStatus::InvalidInput, zp_.error);
    return false;
  }

  // 1. Zones: pipes, resistors, open valves, bypasses.
  UnionFind zuf(n);
  for (const auto& p : net_.pipes) zuf.join(p.from, p.to);
  for (const auto& r : net_.resistors) zuf.join(r.from, r.to);
  for (const auto& v : net_.valves)
    if (v.open) zuf.join(v.from, v.to);
  for (const auto& c : net_.compressors)
    if (c.mode == StationMode::Bypass) zuf.join(c.from, c.to);
  for (const auto& r : net_.regulators)
    if (r.mode == StationMode::Bypass) zuf.join(r.from, r.to);
  zone_of_.resize(n);
  for (int v = 0; v < n; ++v) zone_of_[v] = zuf.find(v);

  // 2. Zone bases: the highest set p^2 in the zone (reference nodes, station and regulator
  //    outlets); then through ratio stations, breadth first in station order. A ratio station
  //    that gives a zone its base is merged, and so is one between two zones whose bases
  //    already agree with its ratio (parallel stations); one between zones with other bases
  //    stays an element with its own equation.
  std::vector<double> zb(n, 0.0);
  auto raise = [&](int v, double pi) { zb[zone_of_[v]] = std::max(zb[zone_of_[v]], pi); };
  for (int v = 0; v < n; ++v)
    if (net_.nodes[v].set_pressure_pa)
      raise(v, *net_.nodes[v].set_pressure_pa * *net_.nodes[v].set_pressure_pa);
  for (const auto& c : net_.compressors)
    if (c.mode == StationMode::OutletPressure)
      raise(c.to, c.outlet_pressure_pa * c.outlet_pressure_pa);
  for (const auto& r : net_.regulators)
    if (r.mode == StationMode::OutletPressure)
      raise(r.to, r.outlet_pressure_pa * r.outlet_pressure_pa);
  const int nc = static_cast<int>(net_.compressors.size());
  std::vector<char> merge_ratio(nc, 0);
  for (bool changed = true; changed;) {
    changed = false;
    for (int k = 0; k < nc; ++k) {
      const auto& c = net_.compressors[k];
      if (c.mode != StationMode::Ratio || merge_ratio[k]) continue;
      const int za = zone_of_[c.from], zbb = zone_of_[c.to];
      if (za == zbb) continue;
      const double r2 = c.ratio * c.ratio;
      if (zb[zbb] == 0.0 && zb[za] > 0.0) {
        zb[zbb] = r2 * zb[za];
        changed = true;
      } else if (zb[za] == 0.0 && zb[zbb] > 0.0) {
        zb[za] = zb[zbb] / r2;
        changed = true;
      } else if (zb[za] == 0.0 || std::abs(zb[zbb] - r2 * zb[za]) > 1e-15 * zb[zbb]) {
        continue;
      }
      merge_ratio[k] = 1;
    }
  }
  zbase_.resize(n);
  pi_ref_ = 0.0;
  for (int v = 0; v < n; ++v) {
    zbase_[v] = zb[zone_of_[v]];
    pi_ref_ = std::max(pi_ref_, zbase_[v]);
  }
  if (!(pi_ref_ > 0.0)) pi_ref_ = 1e12;

  // 3. Super-nodes: open valves, bypasses, merged ratio stations (a ratio station closing a
  //    loop of merges stays an element).
  UnionFind uf(n);
  for (int k = 0; k < static_cast<int>(net_.valves.size()); ++k) {
    const auto& v = net_.valves[k];
    if (!v.open) continue;
    uf.join(v.from, v.to);
    joins_.push_back({0, k, v.from, v.to});
  }
  for (int k = 0; k < nc; ++k) {
    const auto& c = net_.compressors[k];
    if (c.mode != StationMode::Bypass) continue;
    uf.join(c.from, c.to);
    joins_.push_back({1, k, c.from, c.to});
  }
  for (int k = 0; k < static_cast<int>(net_.regulators.size()); ++k) {
    const auto& r = net_.regulators[k];
    if (r.mode != StationMode::Bypass) continue;
    uf.join(r.from, r.to);
    joins_.push_back({2, k, r.from, r.to});
  }
  for (int k = 0; k < nc; ++k) {
    if (!merge_ratio[k]) continue;
    const auto& c = net_.compressors[k];
    if (uf.find(c.from) == uf.find(c.to)) {
      if (loop_station_ < 0) loop_station_ = k;
      continue;
    }
    uf.join(c.from, c.to);
    joins_.push_back({1, k, c.from, c.to});
  }
  super_of_.assign(n, -1);
  {
    std::vector<int> id_of_root(n, -1);
    std::vector<std::pair<int, int>> membership;
    membership.reserve(n);
    for (int v = 0; v < n; ++v) {
      const int r = uf.find(v);
      if (id_of_root[r] < 0) id_of_root[r] = n_super_++;
      super_of_[v] = id_of_root[r];
      membership.emplace_back(super_of_[v], v);
    }
    members_ = Groups::from_pairs(n_super_, membership);
  }

  // 4. Fixed injections, references and the pressure setters of each super-node.
  injection_.assign(n_super_, 0.0);
  reference_node_.assign(n_super_, -1);
  setters_.assign(n_super_, 0);
  xs_.assign(n_super_, 0.0);
  std::vector<char> has_x(n_super_, 0);
  auto fix = [&](int v, double pi) {
    const int s = super_of_[v];
    ++setters_[s];
    if (!has_x[s] && zbase_[v] > 0.0) {
      xs_[s] = pi / zbase_[v] - 1.0;
      has_x[s] = 1;
    }
  };
  for (int v = 0; v < n; ++v) {
    const int s = super_of_[v];
    const auto& node = net_.nodes[v];
    if (node.set_pressure_pa) {
      if (reference_node_[s] < 0) reference_node_[s] = v;
      fix(v, *node.set_pressure_pa * *node.set_pressure_pa);
    } else {
      injection_[s] += node.injection_kg_per_s;
    }
  }
  double supply = 0.0, withdrawal = 0.0;
  for (const auto& v : net_.nodes) {
    if (v.set_pressure_pa) continue;
    if (v.injection_kg_per_s > 0) supply += v.injection_kg_per_s;
    if (v.injection_kg_per_s < 0) withdrawal -= v.injection_kg_per_s;
  }
  q_ref_ = std::max(supply, withdrawal);
  if (!(q_ref_ > 0.0)) q_ref_ = 1.0;
  res_.reference_flow_kg_per_s = q_ref_;

  // The height scaling of the symmetric Jacobian: sigma at each super-node's first member.
  esig_.assign(n_super_, 1.0);
  {
    const double z0 = zp_.z(std::sqrt(pi_ref_));
    for (int s = 0; s < n_super_; ++s)
      esig_[s] = std::exp(-2.0 * kStandardGravityMPerS2 * net_.nodes[members_[s][0]].height_m /
                          (rs_ * z0 * gas.temperature_k));
  }

  // 5. Branches.
  branches_.reserve(net_.pipes.size() + net_.resistors.size());
  for (int k = 0; k < static_cast<int>(net_.pipes.size()); ++k) {
    const auto& p = net_.pipes[k];
    Branch br;
    br.is_pipe = true;
    br.index = k;
    br.a = super_of_[p.from];
    br.b = super_of_[p.to];
    br.va = p.from;
    br.vb = p.to;
    br.base = zbase_[p.from];
    br.dh_m = net_.nodes[p.to].height_m - net_.nodes[p.from].height_m;
    br.k0 = 16.0 * rs_ * gas.temperature_k * p.length_m /
            (std::numbers::pi * std::numbers::pi * std::pow(p.diameter_m, 5));
    br.diameter_m = p.diameter_m;
    br.roughness_m = p.roughness_m;
    br.flow_dependent = opt_.friction != FrictionLaw::Nikuradse;
    br.lambda = nikuradse_friction(p.diameter_m, p.roughness_m);
    branches_.push_back(br);
  }
  for (int k = 0; k < static_cast<int>(net_.resistors.size()); ++k) {
    const auto& r = net_.resistors[k];
    Branch br;
    br.is_pipe = false;
    br.index = k;
    br.a = super_of_[r.from];
    br.b = super_of_[r.to];
    br.va = r.from;
    br.vb = r.to;
    br.base = zbase_[r.from];
    br.k0 = 16.0 * r.drag_factor * rs_ * gas.temperature_k /
            (std::numbers::pi * std::numbers::pi * std::pow(r.diameter_m, 4));
    branches_.push_back(br);
  }
  {
    const double z0 = zp_.z(std::sqrt(pi_ref_));
    for (auto& br : branches_) {
      if (br.flow_dependent) br.lambda = lambda_at(br, q_ref_);
      // Lambda q_s^2 / 2 = eps p_ref^2 (see kRegularisationStart).
      br.q_unit = std::sqrt(2.0 * pi_ref_ / (br.k0 * z0 * br.lambda));
      br.q_small = br.q_unit * std::sqrt(kRegularisationStart);
    }
  }

  // 6. Elements with their own flow unknown.
  auto add_active = [&](bool is_compressor, int k, int from, int to, bool pressure_mode,
                        double outlet_pa, double ratio) {
    Active a;
    a.is_compressor = is_compressor;
    a.index = k;
    a.va = from;
    a.vb = to;
    a.a = super_of_[from];
    a.b = super_of_[to];
    a.pressure_mode = pressure_mode;
    if (pressure_mode) {
      a.set_pi = outlet_pa * outlet_pa;
      fix(to, a.set_pi);
    } else {
      a.ratio_sq = ratio * ratio;
    }
    actives_.push_back(a);
  };
  for (int k = 0; k < nc; ++k) {
    const auto& c = net_.compressors[k];
    if (c.mode == StationMode::OutletPressure)
      add_active(true, k, c.from, c.to, true, c.outlet_pressure_pa, 1.0);
    if (c.mode == StationMode::Ratio && !merge_ratio[k])
      add_active(true, k, c.from, c.to, false, 0.0, c.ratio);
  }
  for (int k = 0; k < static_cast<int>(net_.regulators.size()); ++k) {
    const auto& r = net_.regulators[k];
    if (r.mode == StationMode::OutletPressure)
      add_active(false, k, r.from, r.to, true, r.outlet_pressure_pa, 1.0);
  }
  if (opt_.jacobian == JacobianChoice::Symmetric && !actives_.empty()) {
    fail(HydraulicStatus::InvalidInput,
         "the symmetric Jacobian (LDLT) needs a network of pipes, resistors, valves and ratio "
         "stations; stations or regulators that set a pressure make it unsymmetric");
    return false;
  }
  // LDLT where S D is close to the exact matrix: horizontal networks (with heights, near-zero
  // flows on slopes couple through z in e^S, and the defect correction would fall back to
  // SparseLU at every step; measured on the 4,000-node bench mesh).
  bool horizontal = true;
  for (const auto& br : branches_) horizontal = horizontal && (br.pruned || br.dh_m == 0.0);
  symmetric_ = opt_.jacobian == JacobianChoice::Symmetric ||
               (opt_.jacobian == JacobianChoice::Auto && actives_.empty() && horizontal);

  // 7. Dead ends: a free super-node with no injection, no station and one branch carries no
  //    flow; remove it (repeatedly) and set its pressure hydrostatically afterwards.
  pruned_node_.assign(n_super_, 0);
  isolated_.assign(n_super_, 0);
  std::vector<int> degree(n_super_, 0);
  std::vector<char> touches_active(n_super_, 0);
  for (const auto& a : actives_) touches_active[a.a] = touches_active[a.b] = 1;
  std::vector<std::pair<int, int>> ends;
  ends.reserve(2 * branches_.size());
  for (int e = 0; e < static_cast<int>(branches_.size()); ++e) {
    const auto& br = branches_[e];
    if (br.a == br.b) continue;  // both ends in one super-node: carries no flow
    ++degree[br.a];
    ++degree[br.b];
    ends.emplace_back(br.a, e);
    ends.emplace_back(br.b, e);
  }
  const Groups incident = Groups::from_pairs(n_super_, ends);
  auto prunable = [&](int s) {
    return !pruned_node_[s] && setters_[s] == 0 && !touches_active[s] && injection_[s] == 0.0;
  };
  std::vector<int> queue;
  for (int s = 0; s < n_super_; ++s)
    if (degree[s] == 1 && prunable(s)) queue.push_back(s);
  for (std::size_t qi = 0; qi < queue.size(); ++qi) {
    const int s = queue[qi];
    if (degree[s] != 1 || !prunable(s)) continue;
    pruned_node_[s] = 1;
    for (int e : incident[s]) {
      auto& br = branches_[e];
      if (br.pruned || br.a == br.b) continue;
      br.pruned = true;
      prune_order_.emplace_back(e, s);
      const int other = br.a == s ? br.b : br.a;
      --degree[s];
      --degree[other];
      if (degree[other] == 1 && prunable(other)) queue.push_back(other);
    }
  }
  for (int s = 0; s < n_super_; ++s)
    if (!pruned_node_[s] && degree[s] == 0 && setters_[s] == 0 && !touches_active[s] &&
        injection_[s] == 0.0)
      isolated_[s] = 1;
  return true;
}

bool Solver::check_well_posed() {
  auto ids_of = [&](const std::vector<int>& supers) {
    std::vector<std::string> ids;
    for (int s : supers)
      for (int v : members_[s]) ids.push_back(net_.nodes[v].id);
    return ids;
  };
  auto active_id = [&](const Active& a) {
    return a.is_compressor ? "compressor station '" + net_.compressors[a.index].id + "'"
                           : "regulator '" + net_.regulators[a.index].id + "'";
  };
  auto join_list = [](const std::vector<std::string>& who) {
    std::string s;
    for (std::size_t i = 0; i < who.size(); ++i)
      s += (i ? (i + 1 == who.size() ? " and " : ", ") : "") + who[i];
    return s;
  };
  if (loop_station_ >= 0) {
    fail(HydraulicStatus::IllPosed,
         "compressor station '" + net_.compressors[loop_station_].id +
             "' runs on a ratio in parallel with stations or open valves that already join its "
             "inlet to its outlet, so the flow through it is not determined; close or bypass "
             "one of them");
    return false;
  }
  // A node with a supply or withdrawal but nothing attached.
  std::vector<char> attached(n_super_, 0);
  for (const auto& a : actives_) attached[a.a] = attached[a.b] = 1;
  for (const auto& br : branches_)
    if (!br.pruned && br.a != br.b) attached[br.a] = attached[br.b] = 1;
  for (int s = 0; s < n_super_; ++s) {
    if (!attached[s] && setters_[s] == 0 && !isolated_[s] && !pruned_node_[s] &&
        injection_[s] != 0.0) {
      fail(HydraulicStatus::IllPosed, "node " + list_ids(ids_of({s})) +
                                          " has a supply or withdrawal but is joined to "
                                          "nothing that could carry it");
      return false;
    }
  }
  // Pressure set twice in one super-node.
  for (int s = 0; s < n_super_; ++s) {
    if (setters_[s] <= 1) continue;
    std::vector<std::string> who;
    for (int v : members_[s])
      if (net_.nodes[v].set_pressure_pa) who.push_back("node '" + net_.nodes[v].id + "'");
    for (const auto& a : actives_)
      if (a.pressure_mode && a.b == s) who.push_back(active_id(a));
    const std::vector<std::string> ids = ids_of({s});
    std::string msg =
        std::string(ids.size() > 1 ? "the pressure of nodes " : "the pressure of node ") +
        list_ids(ids) +
        (ids.size() > 1 ? " (joined by open valves, bypasses or ratio stations)" : "") +
        " is set " + std::to_string(setters_[s]) + " times, by " + join_list(who) +
        ", so the split of flow between them is not determined; set it once (close "
        "or bypass the other stations, or run them on a ratio)";
    fail(HydraulicStatus::IllPosed, msg);
    return false;
  }
  for (const auto& a : actives_) {
    if (a.a == a.b) {
      fail(HydraulicStatus::IllPosed,
           active_id(a) +
               " has its inlet and outlet joined by open valves, bypasses or ratio "
               "stations, so it cannot set a pressure between them");
      return false;
    }
  }
  // Components of the whole network, and parts whose pressure level must be set.
  UnionFind comps(n_super_), levels(n_super_);
  for (const auto& br : branches_)
    if (!br.pruned) {
      comps.join(br.a, br.b);
      levels.join(br.a, br.b);
    }
  for (const auto& a : actives_) {
    comps.join(a.a, a.b);
    if (!a.pressure_mode) levels.join(a.a, a.b);
  }
  std::vector<char> comp_has_reference(n_super_, 0), level_has_setter(n_super_, 0);
  std::vector<double> comp_balance(n_super_, 0.0);
  for (int s = 0; s < n_super_; ++s) {
    if (pruned_node_[s] || isolated_[s]) continue;
    if (reference_node_[s] >= 0) comp_has_reference[comps.find(s)] = 1;
    if (setters_[s] > 0) level_has_setter[levels.find(s)] = 1;
    comp_balance[comps.find(s)] += injection_[s];
  }
  auto part = [&](UnionFind& uf, int root) {
    std::vector<int> in;
    for (int t = 0; t < n_super_; ++t)
      if (!pruned_node_[t] && !isolated_[t] && uf.find(t) == root) in.push_back(t);
    return list_ids(ids_of(in));
  };
  for (int s = 0; s < n_super_; ++s) {
    if (pruned_node_[s] || isolated_[s] || comps.find(s) != s || comp_has_reference[s]) continue;
    if (std::abs(comp_balance[s]) > 1e-12 * q_ref_) {
      std::ostringstream os;
      os << "supplies and withdrawals of the part of the network with nodes " << part(comps, s)
         << " do not balance (" << comp_balance[s]
         << " kg/s) and no node there has a set pressure to take up the difference; give one "
            "source a set pressure";
      fail(HydraulicStatus::IllPosed, os.str());
    } else {
      fail(HydraulicStatus::IllPosed,
           "no node of the part of the network with nodes " + part(comps, s) +
               " has a set pressure with a free injection, so its mass balance is not closed "
               "(with stations setting pressures the balance equations are dependent); give "
               "one source a set pressure");
    }
    return false;
  }
  for (int s = 0; s < n_super_; ++s) {
    if (pruned_node_[s] || isolated_[s] || levels.find(s) != s || level_has_setter[s]) continue;
    std::vector<std::string> via;
    for (const auto& a : actives_)
      if (a.pressure_mode && (levels.find(a.a) == s) != (levels.find(a.b) == s))
        via.push_back(active_id(a));
    std::string msg = "nothing sets the pressure of the part of the network with nodes " +
                      part(levels, s) + ": no node there has a set pressure";
    if (!via.empty())
      msg += ", and it meets the rest only through " + join_list(via) + " setting outlet pressures";
    msg += "; give one of its sources a set pressure, or run a station next to it on a ratio";
    fail(HydraulicStatus::IllPosed, msg);
    return false;
  }
  return true;
}

void Solver::number_unknowns() {
  col_of_.assign(n_super_, -1);
  row_of_.assign(n_super_, -1);
  for (int s = 0; s < n_super_; ++s) {
    if (pruned_node_[s] || isolated_[s] || setters_[s] > 0) continue;
    col_of_[s] = row_of_[s] = n_free_++;
  }
  n_unknowns_ = n_free_;
  for (auto& a : actives_) {
    a.col = a.row = n_unknowns_++;
    if (a.pressure_mode) row_of_[a.b] = a.row;  // the outlet's balance fixes the flow
  }
}

/// For LDLT: renumbers the unknowns in the fill-reducing AMD order of the matrix's pattern
/// (what Eigen's SimplicialLDLT would otherwise apply as a permuted copy in every factorise).
/// The unknowns' numbering is internal, so nothing else changes.
void Solver::order_unknowns() {
  if (!symmetric_ || n_unknowns_ == 0) return;
  std::vector<std::pair<int, int>> t;
  t.reserve(2 * branches_.size() + n_unknowns_);
  for (const auto& br : branches_) {
    if (br.pruned || br.a == br.b) continue;
    const int ca = col_of_[br.a], cb = col_of_[br.b];
    if (ca >= 0 && cb >= 0) {
      t.emplace_back(ca, cb);
      t.emplace_back(cb, ca);
    }
  }
  for (int i = 0; i < n_unknowns_; ++i) t.emplace_back(i, i);
  Eigen::SparseMatrix<double> pattern;
  compressed_pattern(n_unknowns_, t, pattern);
  // The pattern is symmetric already: Eigen's AMD routine itself (what AMDOrdering calls after
  // symmetrising, and what SimplicialLDLT used to call on this pattern).
  Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic, int> inverse;
  Eigen::internal::minimum_degree_ordering(pattern, inverse);
  // AMD gives the inverse permutation: new index i holds old unknown inverse(i).
  std::vector<int> new_of_old(n_unknowns_);
  for (int i = 0; i < n_unknowns_; ++i) new_of_old[inverse.indices()[i]] = i;
  for (int s = 0; s < n_super_; ++s) {
    if (col_of_[s] >= 0) col_of_[s] = new_of_old[col_of_[s]];
    if (row_of_[s] >= 0) row_of_[s] = new_of_old[row_of_[s]];
  }
}

void Solver::build_pattern() {
  order_unknowns();
  std::vector<std::pair<int, int>> t;  // (column, row)
  t.reserve(4 * branches_.size() + 4 * actives_.size() + n_unknowns_);
  auto add = [&](int r, int c) {
    if (r >= 0 && c >= 0) t.emplace_back(c, r);
  };
  for (const auto& br : branches_) {
    if (br.pruned || br.a == br.b) continue;
    add(row_of_[br.a], col_of_[br.a]);
    add(row_of_[br.a], col_of_[br.b]);
    add(row_of_[br.b], col_of_[br.a]);
    add(row_of_[br.b], col_of_[br.b]);
  }
  for (const auto& a : actives_) {
    add(row_of_[a.a], a.col);
    add(row_of_[a.b], a.col);
    if (!a.pressure_mode) {
      add(a.row, col_of_[a.a]);
      add(a.row, col_of_[a.b]);
    }
  }
  // Every unknown needs a diagonal entry for the factorisations' pattern.
  for (int i = 0; i < n_unknowns_; ++i) add(i, i);
  compressed_pattern(n_unknowns_, t, jac_);
  if (symmetric_) jexact_ = jac_;  // same pattern, its own values
  auto slot = [&](int r, int c) -> int {
    if (r < 0 || c < 0) return -1;
    const int* inner = jac_.innerIndexPtr();
    const int* outer = jac_.outerIndexPtr();
    const int* lo = inner + outer[c];
    const int* hi = inner + outer[c + 1];
    const int* it = std::lower_bound(lo, hi, r);
    return (it != hi && *it == r) ? static_cast<int>(it - inner) : -1;
  };
  for (auto& br : branches_) {
    if (br.pruned || br.a == br.b) continue;
    br.root_ee = std::sqrt(1.0 * esig_[br.a] * esig_[br.b]);
    br.slot_aa = slot(row_of_[br.a], col_of_[br.a]);
    br.slot_ab = slot(row_of_[br.a], col_of_[br.b]);
    br.slot_ba = slot(row_of_[br.b], col_of_[br.a]);
    br.slot_bb = slot(row_of_[br.b], col_of_[br.b]);
  }
  for (auto& a : actives_) {
    a.slot_row_a = slot(row_of_[a.a], a.col);
    a.slot_row_b = slot(row_of_[a.b], a.col);
    if (!a.pressure_mode) {
      a.slot_ratio_a = slot(a.row, col_of_[a.a]);
      a.slot_ratio_b = slot(a.row, col_of_[a.b]);
    }
  }
}

double Solver::law_flow(const Branch& br) const {
  const auto& gas = net_.gas;
  const double pia = br.base * (1.0 + xs_[br.a]), pib = br.base * (1.0 + xs_[br.b]);
  const double pm =
      mean_pipe_pressure(std::sqrt(std::max(pia, 1.0)), std::sqrt(std::max(pib, 1.0)));
  const double z = zp_.z(pm);
  double em1 = 0.0, phi = 1.0;
  if (br.dh_m != 0.0) {
    const double s = 2.0 * kStandardGravityMPerS2 * br.dh_m / (rs_ * z * gas.temperature_k);
    em1 = std::expm1(s);
    phi = em1 / s;
  }
  const double delta = br.base * (xs_[br.a] - xs_[br.b]) - em1 * pib;
  const double kz = br.k0 * z * phi;
  double lam = br.lambda;
  double q = std::copysign(std::sqrt(std::abs(delta) / (kz * lam)), delta);
  if (br.flow_dependent) {  // fixed point: lambda depends weakly on q
    for (int k = 0; k < 50; ++k) {
      lam = lambda_at(br, q);
      const double next = std::copysign(std::sqrt(std::abs(delta) / (kz * lam)), delta);
      const bool done = std::abs(next - q) <= 1e-15 * std::abs(next);
      q = next;
      if (done) break;
    }
  }
  return q;
}

void Solver::eval_law(const Branch& br, double q, bool derivs, LawEval& out) const {
  const auto& gas = net_.gas;
  const double pia = pi_cache_[br.va], pib = pi_cache_[br.vb];
  const double pa = p_cache_[br.va], pb = p_cache_[br.vb];
  const double pm = mean_pressure(pa, pb);
  const double z = z_at(zp_, pm);
  double s = 0.0, em1 = 0.0, c = 1.0, phi = 1.0;
  if (br.dh_m != 0.0) {
    s = 2.0 * kStandardGravityMPerS2 * br.dh_m / (rs_ * z * gas.temperature_k);
    em1 = std::expm1(s);
    c = 1.0 + em1;
    phi = em1 / s;
  }
  // Delta = pi_a - c pi_b, kept accurate: base (x_a - x_b) - expm1(S) pi_b (one zone base).
  const double delta = br.base * (xs_[br.a] - xs_[br.b]) - em1 * pib;
  out.c = c;
  out.delta = delta;
  if (linear_mode_) {  // the linear start: r = R q - delta
    out.r = br.linear_r * q - delta;
    out.d = br.linear_r;
    out.g = 1.0 / out.d;
    out.rd = out.r / out.d;
    out.dq_da = 1.0 / br.linear_r;
    out.dq_db = -c / br.linear_r;
    out.rel = 0.0;
    return;
  }
  out.kz = br.k0 * z * phi;  // Lambda / lambda * (e^S - 1)/S
  out.lam = br.flow_dependent ? lambda_at(br, q) : br.lambda;
  out.den0 =
      std::max({std::abs(delta), std::abs(em1) * pib, kPipeLawFloorShare * std::max(pia, pib)});
  if (derivs) {
    // lambda'(q), by a central difference.
    out.dlam = 0.0;
    if (br.flow_dependent && std::abs(q) > 0.0) {
      const double h = 1e-6 * std::abs(q);
      out.dlam = (lambda_at(br, std::abs(q) + h) - lambda_at(br, std::abs(q) - h)) / (2.0 * h) *
                 (q >= 0 ? 1.0 : -1.0);
    }
    // dr/dpi, with z(p_m) entering Lambda and S: d(kz)/dz = k0 (2 phi - c), and at fixed pi
    // d(delta)/dz = c S pi_b / z.
    const double dz_dpm = dz_dp_at(zp_, pm);
    const double sum = pa + pb;
    out.dz_da = dz_dpm * 2.0 / 3.0 * (1.0 - pb * pb / (sum * sum)) / (2.0 * pa);
    out.dz_db = dz_dpm * 2.0 / 3.0 * (1.0 - pa * pa / (sum * sum)) / (2.0 * pb);
    out.az = br.k0 * (2.0 * phi - c) * out.lam;
    out.bz = c * s * pib / z;
  }
  finish_law(br, q, derivs, out);
}

void Solver::finish_law(const Branch& br, double q, bool derivs, LawEval& out) const {
  const double root = std::sqrt(q * q + br.q_small * br.q_small);  // regularised |q|
  const double rhs = out.kz * out.lam * q * root;
  out.r = rhs - out.delta;
  out.rel = std::abs(out.r) / std::max(out.den0, std::abs(rhs));
  if (!derivs) return;
  // D = dr/dq = kz (lambda (root + q^2 / root) + lambda'(q) q root) > 0.
  const double slope = root + q * q / root;
  double d = out.kz * (out.lam * slope + out.dlam * q * root);
  if (!(d > 0.0)) d = out.kz * out.lam * slope;
  out.d = d;
  const double g = 1.0 / d;
  out.g = g;
  out.rd = out.r / d;
  const double dr_dz = out.az * q * root - out.bz;
  out.dq_da = g - g * dr_dz * out.dz_da;
  out.dq_db = -g * out.c - g * dr_dz * out.dz_db;
}

double Solver::resmooth_laws(const std::vector<double>& q, std::vector<LawEval>& law) const {
  double law_max = 0.0;
  for (std::size_t e = 0; e < branches_.size(); ++e) {
    const auto& br = branches_[e];
    if (br.pruned || br.a == br.b) continue;
    finish_law(br, q[e], true, law[e]);
    law_max = std::max(law_max, law[e].rel);
  }
  return law_max;
}

double Solver::lambda_at(const Branch& br, double q) const {
  if (!br.is_pipe) return 1.0;
  if (!br.flow_dependent) return br.lambda;
  const double re =
      4.0 * std::abs(q) / (std::numbers::pi * br.diameter_m * net_.gas.dynamic_viscosity_pa_s);
  return opt_.friction == FrictionLaw::Hofer
             ? hofer_friction(re, br.diameter_m, br.roughness_m)
             : colebrook_friction(re, br.diameter_m, br.roughness_m);
}

void Solver::set_point(const std::vector<double>& x) {
  for (int s = 0; s < n_super_; ++s)
    if (col_of_[s] >= 0) xs_[s] = x[col_of_[s]];
  const int n = static_cast<int>(zbase_.size());
  pi_cache_.resize(n);
  p_cache_.resize(n);
  for (int v = 0; v < n; ++v) {
    pi_cache_[v] = pi_node(v);
    p_cache_[v] = std::sqrt(std::max(pi_cache_[v], 1.0));
  }
}

void Solver::gga_residual(const std::vector<double>& x, const std::vector<double>& q,
                          std::vector<double>& f, std::vector<LawEval>& law, double& node_max,
                          double& law_max, bool derivs) {
  set_point(x);
  f.assign(n_unknowns_, 0.0);
  for (int s = 0; s < n_super_; ++s)
    if (row_of_[s] >= 0) f[row_of_[s]] += injection_[s] / q_ref_;
  law_max = 0.0;
  for (std::size_t e = 0; e < branches_.size(); ++e) {
    const auto& br = branches_[e];
    if (br.pruned || br.a == br.b) continue;
    eval_law(br, q[e], derivs, law[e]);
    law_max = std::max(law_max, law[e].rel);
    const double qs = q[e] / q_ref_;
    if (row_of_[br.a] >= 0) f[row_of_[br.a]] -= qs;
    if (row_of_[br.b] >= 0) f[row_of_[br.b]] += qs;
  }
  for (const auto& a : actives_) {
    const double qa = x[a.col];
    if (row_of_[a.a] >= 0) f[row_of_[a.a]] -= qa;
    if (row_of_[a.b] >= 0) f[row_of_[a.b]] += qa;
    if (!a.pressure_mode) f[a.row] = (pi_node(a.vb) - a.ratio_sq * pi_node(a.va)) / pi_ref_;
  }
  node_max = max_abs(f);
}

/// Fills the Newton matrix from the linearised laws. Unsymmetric: J, the exact Jacobian of the
/// reduced (node) system. Symmetric: M = -J has, without its z terms, columns (g, -g) at a and
/// (-g c, g c) at b; with c = e^(sigma_b - sigma_a) that is S D with S symmetric and
/// D = diag(e^sigma). jac_ gets S (diagonal g e^-sigma_a and g c e^-sigma_b, off-diagonal
/// -g sqrt(c e^-sigma_a e^-sigma_b)) for LDLT, and jexact_ gets M itself for the defect
/// correction in solve_linear.
void Solver::gga_jacobian(const std::vector<LawEval>& law) {
  double* v = jac_.valuePtr();
  std::fill(v, v + jac_.nonZeros(), 0.0);
  double* m = symmetric_ ? jexact_.valuePtr() : nullptr;
  if (m) std::fill(m, m + jexact_.nonZeros(), 0.0);
  for (std::size_t e = 0; e < branches_.size(); ++e) {
    const auto& br = branches_[e];
    if (br.pruned || br.a == br.b) continue;
    const LawEval& ev = law[e];
    const double scale = br.base / q_ref_;  // d(pi)/dx over the balance scale
    if (symmetric_) {
      const double g = ev.g;
      const double ea = esig_[br.a], eb = esig_[br.b];
      // Level (S = 0, c = 1): the same root, taken once per solve.
      const double off = -g * (br.dh_m == 0.0 ? br.root_ee : std::sqrt(ev.c * ea * eb)) * scale;
      if (br.slot_aa >= 0) v[br.slot_aa] += g * ea * scale;
      if (br.slot_bb >= 0) v[br.slot_bb] += g * ev.c * eb * scale;
      if (br.slot_ab >= 0) v[br.slot_ab] += off;
      if (br.slot_ba >= 0) v[br.slot_ba] += off;
      if (br.slot_aa >= 0) m[br.slot_aa] += ev.dq_da * scale;
      if (br.slot_ab >= 0) m[br.slot_ab] += ev.dq_db * scale;
      if (br.slot_ba >= 0) m[br.slot_ba] -= ev.dq_da * scale;
      if (br.slot_bb >= 0) m[br.slot_bb] -= ev.dq_db * scale;
    } else {
      if (br.slot_aa >= 0) v[br.slot_aa] -= ev.dq_da * scale;
      if (br.slot_ab >= 0) v[br.slot_ab] -= ev.dq_db * scale;
      if (br.slot_ba >= 0) v[br.slot_ba] += ev.dq_da * scale;
      if (br.slot_bb >= 0) v[br.slot_bb] += ev.dq_db * scale;
    }
  }
  for (const auto& a : actives_) {
    if (a.slot_row_a >= 0) v[a.slot_row_a] -= 1.0;
    if (a.slot_row_b >= 0) v[a.slot_row_b] += 1.0;
    if (!a.pressure_mode) {
      if (a.slot_ratio_a >= 0) v[a.slot_ratio_a] -= a.ratio_sq * zbase_[a.va] / pi_ref_;
      if (a.slot_ratio_b >= 0) v[a.slot_ratio_b] += zbase_[a.vb] / pi_ref_;
    }
  }
}

double Solver::max_abs(const std::vector<double>& f) const {
  double m = 0.0;
  for (double x : f) m = std::max(m, std::abs(x));
  return m;
}

/// The Newton direction: J dx = -f with SparseLU; or M dx = f (M = -J) with LDLT of S and
/// defect correction, dx += D^-1 S^-1 (f - M dx), until the step solves the exact system to
/// 1e-3 of |f| or better (an inexact Newton step; S D differs from M only by the z terms and
/// the height scaling's z, about 1e-3 relative, so one or two passes do).
bool Solver::solve_linear(const std::vector<double>& f, std::vector<double>& dx) {
  dx.assign(n_unknowns_, 0.0);
  if (n_unknowns_ == 0) return true;  // every pressure set: only the flows move
  Eigen::Map<const Eigen::VectorXd> rhs(f.data(), n_unknowns_);
  Eigen::VectorXd sol;
  if (symmetric_) {
    if (!analysed_) {
      ldlt_.analyzePattern(jac_);
      analysed_ = true;
    }
    ldlt_.factorize(jac_);
    if (ldlt_.info() != Eigen::Success) return false;
    auto scaled = [&](Eigen::VectorXd y) {
      for (int s = 0; s < n_super_; ++s)  // D^-1
        if (col_of_[s] >= 0) y[col_of_[s]] *= esig_[s];
      return y;
    };
    sol = scaled(ldlt_.solve(rhs));
    // Inexact Newton: the step must solve the exact system to 1e-6 of |f| (or 1e-9 absolute).
    const double target = std::min(1e-6 * rhs.cwiseAbs().maxCoeff(), 1e-9);
    bool solved = false;
    for (int k = 0; k < kMaxRefinements; ++k) {
      const Eigen::VectorXd defect = rhs - jexact_ * sol;
      if (!defect.allFinite()) break;
      if (defect.cwiseAbs().maxCoeff() <= target) {
        solved = true;
        break;
      }
      sol += scaled(ldlt_.solve(defect));
      ++res_.refinements;
    }
    if (!solved) {
      // S D is too far from the exact matrix (near-zero flows on slopes): SparseLU on M.
      if (!fallback_analysed_) {
        if (!lu_analyse(jexact_)) return false;
        fallback_analysed_ = true;
      }
      if (!lu_factorize(jexact_)) return false;
      if (!lu_solve(jexact_, rhs, sol)) return false;
      ++res_.lu_fallbacks;
    }
  } else {
    if (!analysed_) {
      if (!lu_analyse(jac_)) return false;
      analysed_ = true;
    }
    if (!lu_factorize(jac_)) return false;
    if (!lu_solve(jac_, -rhs, sol)) return false;
  }
  if (!sol.allFinite()) return false;
  dx.assign(sol.data(), sol.data() + n_unknowns_);
  return true;
}

void Solver::initial_point() {
  x_.assign(n_unknowns_, 0.0);
  if (!opt_.initial_pressure_pa.empty()) {
    for (int s = 0; s < n_super_; ++s) {
      if (col_of_[s] < 0) continue;
      const int v = members_[s][0];
      const double p = opt_.initial_pressure_pa[v];
      if (zbase_[v] > 0.0) x_[col_of_[s]] = p * p / zbase_[v] - 1.0;
    }
  }
  set_point(x_);
  // Branch flows: from the law at the warm-start pressures (a cold start's linear start
  // replaces them).
  q_.assign(branches_.size(), 0.0);
  for (std::size_t e = 0; e < branches_.size(); ++e) {
    const auto& br = branches_[e];
    if (!br.pruned && br.a != br.b) q_[e] = law_flow(br);
  }
}

bool Solver::gga_step(const std::vector<double>& f, const std::vector<LawEval>& law,
                      std::vector<double>& dx, std::vector<double>& dq) {
  const std::size_t nb = branches_.size();
  // `law` holds the linearised laws at (x_, q_). Move the law residuals into the node rows:
  // F' = F + A (r / D).
  std::vector<double> rhs = f;
  for (std::size_t e = 0; e < nb; ++e) {
    const auto& br = branches_[e];
    if (br.pruned || br.a == br.b) continue;
    const double m = law[e].rd / q_ref_;
    if (row_of_[br.a] >= 0) rhs[row_of_[br.a]] += m;
    if (row_of_[br.b] >= 0) rhs[row_of_[br.b]] -= m;
  }
  gga_jacobian(law);
  if (!solve_linear(rhs, dx)) return false;
  // Flow changes: dq = -r/D + dq/dpi_a dpi_a + dq/dpi_b dpi_b.
  dq.assign(nb, 0.0);
  for (std::size_t e = 0; e < nb; ++e) {
    const auto& br = branches_[e];
    if (br.pruned || br.a == br.b) continue;
    const double dpa = col_of_[br.a] >= 0 ? br.base * dx[col_of_[br.a]] : 0.0;
    const double dpb = col_of_[br.b] >= 0 ? br.base * dx[col_of_[br.b]] : 0.0;
    dq[e] = -law[e].rd + law[e].dq_da * dpa + law[e].dq_db * dpb;
  }
  return true;
}

/// Linear start (cold starts only): branches as linear resistances R = Lambda q_typ (the secant
/// of the law at q_typ), first with q_typ = the reference flow for every branch, then once
/// more with each branch's flow from that solve. Each pass is one exact linear solve.
bool Solver::linear_start() {
  if (!opt_.initial_pressure_pa.empty() || n_unknowns_ == 0) return true;
  constexpr int kLinearPasses = 2;
  const std::size_t nb = branches_.size();
  const double z0 = zp_.z(std::sqrt(pi_ref_));
  std::vector<double> f, dx, dq;
  std::vector<LawEval> law(nb);
  double nm = 0.0, lm = 0.0;
  for (int pass = 0; pass < kLinearPasses; ++pass) {
    for (std::size_t e = 0; e < nb; ++e) {
      auto& br = branches_[e];
      const double q = pass == 0 ? q_ref_ : std::max(std::abs(q_[e]), 1e-3 * q_ref_);
      br.linear_r = br.k0 * z0 * br.lambda * q;
    }
    linear_mode_ = true;
    gga_residual(x_, q_, f, law, nm, lm, true);
    const bool ok = gga_step(f, law, dx, dq);
    linear_mode_ = false;
    if (!ok) return true;  // the Newton loop reports a singular system itself
    for (int i = 0; i < n_unknowns_; ++i) x_[i] += dx[i];
    for (std::size_t e = 0; e < nb; ++e) q_[e] += dq[e];
    set_point(x_);
    ++res_.linear_start_iterations;
  }
  return true;
}

/// The global gradient method (Todini & Pilati 1988) on flows and squared pressures: each
/// Newton step linearises every branch law around its current flow, and eliminating the
/// flow changes leaves the nodal pressure system (the matrix of a nodal Newton with
/// conductances 1/D). Mass balance is linear in the flows, so a full step satisfies it; the
/// (regularised) laws are smooth at q = 0, unlike q = sqrt(dpi/Lambda), which is what makes
/// zero and near-zero flows converge. Backtracking (Armijo) line search on the node residuals
/// and the law residuals in flow units (r/D).
void Solver::newton() {
  const std::size_t nb = branches_.size();
  std::vector<double> f, f_trial, dx, x_trial, q_trial(nb), dq;
  std::vector<LawEval> law(nb), law_trial(nb);
  double node_max = 0.0, law_max = 0.0;
  const double law_tol = std::max(opt_.tolerance, kLawTolerance);
  // A warm start is taken to be close: no smoothing.
  double eps = opt_.initial_pressure_pa.empty() ? kRegularisationStart : kRegularisationEnd;
  auto smooth = [&](double e) {
    for (auto& br : branches_) br.q_small = br.q_unit * std::sqrt(e);
  };
  smooth(eps);
  gga_residual(x_, q_, f, law, node_max, law_max, true);
  for (;;) {
    const int it = res_.iterations;
    res_.residual_history.push_back(std::max(node_max, law_max));
    if (eps <= kRegularisationEnd && node_max <= opt_.tolerance && law_max <= law_tol) {
      res_.status = HydraulicStatus::Converged;
      return;
    }
    if (it >= opt_.max_iterations) {
      std::ostringstream os;
      os << "no convergence in " << opt_.max_iterations
         << " Newton iterations: the largest scaled mass-balance residual is " << node_max
         << " (tolerance " << opt_.tolerance << ") and the largest relative pipe-law residual "
         << law_max << " (tolerance " << law_tol << ")";
      fail(HydraulicStatus::NoConvergence, os.str());
      return;
    }
    // Shrink the smoothing; once both residuals are small the iterate is close enough for the
    // unsmoothed law, and it goes straight to the end. A new smoothing is a new law: evaluate.
    const double next = (node_max <= kJumpResidual && law_max <= kJumpResidual)
                            ? kRegularisationEnd
                            : std::max(kRegularisationEnd, eps * kRegularisationStep);
    if (next != eps) {
      eps = next;
      smooth(eps);
      law_max = resmooth_laws(q_, law);         // the node rows do not depend on the smoothing
      if (eps <= kRegularisationEnd) continue;  // it may have converged already
    }
    if (!gga_step(f, law, dx, dq)) {
      fail(HydraulicStatus::SingularJacobian,
           "the Newton system is singular at iteration " + std::to_string(it + 1) +
               ": the rule leaves some pressure or flow undetermined (a loop of stations, or "
               "pressures set on both sides of a part with no flow path)");
      return;
    }
    ++res_.iterations;
    // Merit: node rows and law residuals as flows (r / D), with this iterate's D.
    auto merit_of = [&](const std::vector<double>& ff, const std::vector<LawEval>& ll) {
      double m = 0.0;
      for (double v : ff) m += v * v;
      for (std::size_t e = 0; e < nb; ++e) {
        const auto& br = branches_[e];
        if (br.pruned || br.a == br.b) continue;
        const double w = ll[e].r / law[e].d / q_ref_;
        m += w * w;
      }
      return 0.5 * m;
    };
    const double phi = merit_of(f, law);
    double t = 1.0;
    bool accepted = false;
    x_trial.resize(n_unknowns_);
    double nm = 0.0, lm = 0.0;
    for (int k = 0; k < 40; ++k, t *= 0.5) {
      for (int i = 0; i < n_unknowns_; ++i) x_trial[i] = x_[i] + t * dx[i];
      for (std::size_t e = 0; e < nb; ++e) q_trial[e] = q_[e] + t * dq[e];
      // With derivatives: the accepted trial is the next iterate, linearised already.
      gga_residual(x_trial, q_trial, f_trial, law_trial, nm, lm, true);
      const double phi_trial = merit_of(f_trial, law_trial);
      if (std::isfinite(phi_trial) && phi_trial <= (1.0 - 2e-4 * t) * phi) {
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      set_point(x_);
      std::ostringstream os;
      os << "the line search found no step that reduces the residual at iteration " << it + 1
         << " (mass balance " << node_max << ", pipe law " << law_max << ")";
      fail(HydraulicStatus::LineSearchFailed, os.str());
      return;
    }
    x_.swap(x_trial);
    q_.swap(q_trial);
    f.swap(f_trial);
    law.swap(law_trial);
    node_max = nm;
    law_max = lm;
  }
}

/// After a failed iteration: if it reached p^2 <= 0 somewhere, that is the likelier cause, and
/// the status says so instead.
void Solver::diagnose_negative_pressure() {
  std::vector<std::string> neg;
  for (int v = 0; v < static_cast<int>(net_.nodes.size()); ++v)
    if (!isolated_[super_of_[v]] && !pruned_node_[super_of_[v]] && pi_node(v) <= 0.0)
      neg.push_back(net_.nodes[v].id);
  if (neg.empty()) return;
  fail(HydraulicStatus::NegativePressure,
       "the iteration reached p^2 <= 0 at node " + list_ids(neg) + " and could not continue (" +
           res_.message + "): the network cannot carry these flows at these pressure settings");
}

void Solver::finish() {
  const int n = static_cast<int>(net_.nodes.size());
  const auto& gas = net_.gas;
  set_point(x_);
  // Pruned dead ends, in reverse order: zero flow, so pi_far = pi_near / c or pi_near * c.
  for (auto it = prune_order_.rbegin(); it != prune_order_.rend(); ++it) {
    auto& br = branches_[it->first];
    const int leaf = it->second;
    const bool a_is_leaf = leaf == br.a;
    const int known = a_is_leaf ? br.b : br.a;
    const double pi_known = br.base * (1.0 + xs_[known]);
    double pi_leaf = pi_known;
    for (int k = 0; k < 20; ++k) {
      const double pm =
          mean_pipe_pressure(std::sqrt(std::max(pi_known, 1.0)), std::sqrt(std::max(pi_leaf, 1.0)));
      const double z = zp_.z(pm);
      const double s = 2.0 * kStandardGravityMPerS2 * br.dh_m / (rs_ * z * gas.temperature_k);
      const double c = std::exp(s);
      // Zero flow: pi_from = e^S pi_to.
      const double next = a_is_leaf ? c * pi_known : pi_known / c;
      const bool done = std::abs(next - pi_leaf) <= 1e-15 * std::abs(next);
      pi_leaf = next;
      if (done) break;
    }
    xs_[leaf] = pi_leaf / br.base - 1.0;
  }
  // Node pressures.
  res_.node_pressure_pa.assign(n, kNaN);
  for (int v = 0; v < n; ++v) {
    if (isolated_[super_of_[v]]) continue;
    const double pi = pi_node(v);
    res_.node_pressure_pa[v] = pi > 0.0 ? std::sqrt(pi) : -std::sqrt(-pi);
  }
  // Branch flows at the solution (already evaluated by the last residual; recompute cleanly).
  res_.pipe_flow_kg_per_s.assign(net_.pipes.size(), 0.0);
  res_.pipe_velocity_m_per_s.assign(net_.pipes.size(), 0.0);
  res_.pipe_mean_z.assign(net_.pipes.size(), kNaN);
  res_.resistor_flow_kg_per_s.assign(net_.resistors.size(), 0.0);
  for (std::size_t e = 0; e < branches_.size(); ++e) {
    auto& br = branches_[e];
    double q = 0.0;
    if (br.pruned) {
      q = 0.0;
    } else if (br.a == br.b) {
      // Both ends in one super-node (a pipe beside an open valve): its law at that pressure.
      q = law_flow(br);
    } else {
      q = q_[e];
    }
    if (br.is_pipe) {
      const auto& p = net_.pipes[br.index];
      res_.pipe_flow_kg_per_s[br.index] = q;
      const double pa = res_.node_pressure_pa[p.from], pb = res_.node_pressure_pa[p.to];
      const double pm = mean_pipe_pressure(pa, pb);
      res_.pipe_mean_z[br.index] = zp_.z(pm);
      const double plow = std::min(pa, pb);
      if (plow > 0.0) {
        const double rho = plow / (zp_.z(plow) * rs_ * gas.temperature_k);
        const double area = std::numbers::pi * p.diameter_m * p.diameter_m / 4.0;
        res_.pipe_velocity_m_per_s[br.index] = q / (rho * area);
      }
    } else {
      res_.resistor_flow_kg_per_s[br.index] = q;
    }
  }
  // Station and regulator flows.
  res_.compressor_flow_kg_per_s.assign(net_.compressors.size(), 0.0);
  res_.regulator_flow_kg_per_s.assign(net_.regulators.size(), 0.0);
  for (const auto& a : actives_) {
    const double q = x_[a.col] * q_ref_;
    (a.is_compressor ? res_.compressor_flow_kg_per_s : res_.regulator_flow_kg_per_s)[a.index] = q;
  }
  // Per original node: net inflow from branches and stations (valves excluded).
  std::vector<double> inflow(n, 0.0);
  for (std::size_t k = 0; k < net_.pipes.size(); ++k) {
    inflow[net_.pipes[k].from] -= res_.pipe_flow_kg_per_s[k];
    inflow[net_.pipes[k].to] += res_.pipe_flow_kg_per_s[k];
  }
  for (std::size_t k = 0; k < net_.resistors.size(); ++k) {
    inflow[net_.resistors[k].from] -= res_.resistor_flow_kg_per_s[k];
    inflow[net_.resistors[k].to] += res_.resistor_flow_kg_per_s[k];
  }
  for (std::size_t k = 0; k < net_.compressors.size(); ++k) {
    inflow[net_.compressors[k].from] -= res_.compressor_flow_kg_per_s[k];
    inflow[net_.compressors[k].to] += res_.compressor_flow_kg_per_s[k];
  }
  for (std::size_t k = 0; k < net_.regulators.size(); ++k) {
    inflow[net_.regulators[k].from] -= res_.regulator_flow_kg_per_s[k];
    inflow[net_.regulators[k].to] += res_.regulator_flow_kg_per_s[k];
  }
  // Injections: given, or the balance of the super-node at its reference node.
  res_.node_injection_kg_per_s.assign(n, 0.0);
  for (int v = 0; v < n; ++v)
    if (!net_.nodes[v].set_pressure_pa)
      res_.node_injection_kg_per_s[v] = net_.nodes[v].injection_kg_per_s;
  for (int s = 0; s < n_super_; ++s) {
    const int ref = reference_node_[s];
    if (ref < 0) continue;
    double net_in = 0.0;
    for (int v : members_[s])
      net_in += inflow[v] + (v == ref ? 0.0 : res_.node_injection_kg_per_s[v]);
    res_.node_injection_kg_per_s[ref] = -net_in;
  }
  // Joining elements: flows on a spanning tree of each merged group (chords carry zero).
  res_.valve_flow_kg_per_s.assign(net_.valves.size(), 0.0);
  {
    std::vector<std::vector<std::pair<int, int>>> adj(n);  // (join, other node)
    for (int j = 0; j < static_cast<int>(joins_.size()); ++j) {
      adj[joins_[j].from].emplace_back(j, joins_[j].to);
      adj[joins_[j].to].emplace_back(j, joins_[j].from);
    }
    std::vector<char> seen(n, 0);
    std::vector<int> parent_join(n, -1), order;
    for (int root = 0; root < n; ++root) {
      if (seen[root] || adj[root].empty()) continue;
      seen[root] = 1;
      order.clear();
      order.push_back(root);
      for (std::size_t i = 0; i < order.size(); ++i)
        for (auto [j, w] : adj[order[i]])
          if (!seen[w]) {
            seen[w] = 1;
            parent_join[w] = j;
            order.push_back(w);
          }
      std::vector<double> surplus(n, 0.0);
      for (int v : order) surplus[v] = inflow[v] + res_.node_injection_kg_per_s[v];
      for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const int v = *it;
        const int j = parent_join[v];
        if (j < 0) continue;
        const auto& jn = joins_[j];
        const int parent = jn.from == v ? jn.to : jn.from;
        // The surplus of v's subtree leaves v towards its parent.
        const double q = jn.from == v ? surplus[v] : -surplus[v];
        if (jn.kind == 0) res_.valve_flow_kg_per_s[jn.index] = q;
        if (jn.kind == 1) res_.compressor_flow_kg_per_s[jn.index] = q;
        if (jn.kind == 2) res_.regulator_flow_kg_per_s[jn.index] = q;
        surplus[parent] += surplus[v];
        surplus[v] = 0.0;
      }
    }
  }
  // Residuals at the reported point, per original node and per pipe.
  {
    std::vector<double> bal(n, 0.0);
    for (int v = 0; v < n; ++v) bal[v] = inflow[v] + res_.node_injection_kg_per_s[v];
    // Joining elements (open valves, bypassed stations and regulators); the other stations
    // and regulators are already in `inflow`.
    for (const auto& jn : joins_) {
      const double q = jn.kind == 0   ? res_.valve_flow_kg_per_s[jn.index]
                       : jn.kind == 1 ? res_.compressor_flow_kg_per_s[jn.index]
                                      : res_.regulator_flow_kg_per_s[jn.index];
      bal[jn.from] -= q;
      bal[jn.to] += q;
    }
    double m = 0.0;
    for (int v = 0; v < n; ++v) m = std::max(m, std::abs(bal[v]));
    res_.mass_balance_residual_rel = m / q_ref_;
    double worst = 0.0;
    for (std::size_t k = 0; k < net_.pipes.size(); ++k) {
      const auto& p = net_.pipes[k];
      worst = std::max(
          worst,
          pipe_law_residual(net_, opt_, zp_, static_cast<int>(k), res_.node_pressure_pa[p.from],
                            res_.node_pressure_pa[p.to], res_.pipe_flow_kg_per_s[k]));
    }
    for (std::size_t k = 0; k < net_.resistors.size(); ++k) {
      const auto& r = net_.resistors[k];
      const double pa = res_.node_pressure_pa[r.from], pb = res_.node_pressure_pa[r.to];
      const double z = zp_.z(mean_pipe_pressure(pa, pb));
      const double lhs = (pa - pb) * (pa + pb);
      const double q = res_.resistor_flow_kg_per_s[k];
      const double rhs = 16.0 * r.drag_factor * rs_ * z * gas.temperature_k /
                         (std::numbers::pi * std::numbers::pi * std::pow(r.diameter_m, 4)) * q *
                         std::abs(q);
      const double den =
          std::max({std::abs(lhs), std::abs(rhs), kPipeLawFloorShare * std::max(pa * pa, pb * pb)});
      worst = std::max(worst, std::abs(lhs - rhs) / den);
    }
    res_.pipe_law_residual_rel = worst;
  }
  // Stations: ratio, power, fuel, flags.
  res_.compressor_ratio.assign(net_.compressors.size(), kNaN);
  res_.compressor_power_w.assign(net_.compressors.size(), 0.0);
  res_.compressor_fuel_kg_per_s.assign(net_.compressors.size(), 0.0);
  auto flag = [&](ViolationKind k, const std::string& id, double value, double limit) {
    res_.violations.push_back({k, id, value, limit});
  };
  for (std::size_t k = 0; k < net_.compressors.size(); ++k) {
    const auto& c = net_.compressors[k];
    if (c.mode == StationMode::Closed) continue;
    const double pin = res_.node_pressure_pa[c.from], pout = res_.node_pressure_pa[c.to];
    const double q = res_.compressor_flow_kg_per_s[k];
    const double ratio = pout / pin;
    res_.compressor_ratio[k] = ratio;
    const double power = isentropic_power_w(gas, zp_, q, pin, pout, c.isentropic_efficiency);
    res_.compressor_power_w[k] = power;
    double fuel = 0.0;
    if (q > 0.0 && pout > pin) {
      if (std::isnan(c.fuel_share)) {
        const double hv_j_per_kg = gas.heating_value_j_per_m3 / gas.normal_density_kg_per_m3;
        fuel = power / (c.drive_efficiency * hv_j_per_kg);
      } else {
        fuel = c.fuel_share * q;
      }
    }
    res_.compressor_fuel_kg_per_s[k] = fuel;
    if (c.mode == StationMode::Bypass) continue;
    if (q < -1e-9 * q_ref_) flag(ViolationKind::StationReverseFlow, c.id, q, 0.0);
    if (ratio < 1.0 - 1e-12) flag(ViolationKind::StationWouldThrottle, c.id, ratio, 1.0);
    if (ratio > c.max_ratio) flag(ViolationKind::RatioExceeded, c.id, ratio, c.max_ratio);
    if (power > c.max_power_w) flag(ViolationKind::PowerExceeded, c.id, power, c.max_power_w);
    if (pin < c.inlet_pressure_min_pa - kBoundSlackPa)
      flag(ViolationKind::SuctionBelowMin, c.id, pin, c.inlet_pressure_min_pa);
    if (pout > c.outlet_pressure_max_pa + kBoundSlackPa)
      flag(ViolationKind::DischargeAboveMax, c.id, pout, c.outlet_pressure_max_pa);
  }
  for (std::size_t k = 0; k < net_.regulators.size(); ++k) {
    const auto& r = net_.regulators[k];
    if (r.mode != StationMode::OutletPressure) continue;
    const double pin = res_.node_pressure_pa[r.from];
    const double q = res_.regulator_flow_kg_per_s[k];
    if (q < -1e-9 * q_ref_) flag(ViolationKind::StationReverseFlow, r.id, q, 0.0);
    if (pin < r.outlet_pressure_pa - kBoundSlackPa)
      flag(ViolationKind::RegulatorCannotHold, r.id, pin, r.outlet_pressure_pa);
    if (pin < r.inlet_pressure_min_pa - kBoundSlackPa)
      flag(ViolationKind::SuctionBelowMin, r.id, pin, r.inlet_pressure_min_pa);
  }
  for (int v = 0; v < n; ++v) {
    const auto& node = net_.nodes[v];
    const double p = res_.node_pressure_pa[v];
    if (isolated_[super_of_[v]]) {
      flag(ViolationKind::Isolated, node.id, kNaN, kNaN);
      continue;
    }
    if (p < node.pressure_min_pa - kBoundSlackPa)
      flag(ViolationKind::PressureBelowMin, node.id, p, node.pressure_min_pa);
    if (p > node.pressure_max_pa + kBoundSlackPa)
      flag(ViolationKind::PressureAboveMax, node.id, p, node.pressure_max_pa);
  }
  for (const auto& p : net_.pipes) {
    const double pmax = std::max(res_.node_pressure_pa[p.from], res_.node_pressure_pa[p.to]);
    if (pmax > p.max_pressure_pa + kBoundSlackPa)
      flag(ViolationKind::AboveMaop, p.id, pmax, p.max_pressure_pa);
  }
  // Pressures below zero: the model has no physical solution at these settings.
  if (res_.status == HydraulicStatus::Converged) {
    std::vector<std::string> neg;
    for (int v = 0; v < n; ++v)
      if (res_.node_pressure_pa[v] <= 0.0) neg.push_back(net_.nodes[v].id);
    if (!neg.empty())
      fail(HydraulicStatus::NegativePressure,
           "the equations hold only with p^2 <= 0 at node " + list_ids(neg) +
               ": the network cannot carry these flows at these pressure settings");
  }
}

HydraulicResult Solver::run() {
  if (!validate() || !reduce() || !check_well_posed()) return res_;
  number_unknowns();
  build_pattern();
  res_.used_symmetric_solver = symmetric_;
  initial_point();
  linear_start();
  newton();
  if (res_.status == HydraulicStatus::NoConvergence ||
      res_.status == HydraulicStatus::LineSearchFailed)
    diagnose_negative_pressure();
  // Report the last iterate also when it did not converge: pressures and flows with the status.
  if (res_.status == HydraulicStatus::Converged || res_.status == HydraulicStatus::NoConvergence ||
      res_.status == HydraulicStatus::LineSearchFailed ||
      res_.status == HydraulicStatus::NegativePressure)
    finish();
  return res_;
}

}  // namespace

HydraulicResult solve_hydraulics(const HydraulicNetwork& net, const HydraulicOptions& options) {
  Solver solver(net, options);
  return solver.run();
}

double pipe_law_residual_rel(const HydraulicNetwork& net, const HydraulicOptions& options, int pipe,
                             double pa, double pb, double q) {
  return pipe_law_residual(
      net, options, compressibility_model(options.compressibility, net.gas, options.constant_z),
      pipe, pa, pb, q);
}

double pipe_law_residual(const HydraulicNetwork& net, const HydraulicOptions& options,
                         const CompressibilityModel& zm, int pipe, double pa, double pb, double q) {
  const auto& p = net.pipes[pipe];
  const auto& gas = net.gas;
  const double rs = gas.specific_gas_constant();
  const double z = zm.z(mean_pipe_pressure(pa, pb));
  const double s = 2.0 * kStandardGravityMPerS2 *
                   (net.nodes[p.to].height_m - net.nodes[p.from].height_m) /
                   (rs * z * gas.temperature_k);
  const double em1 = std::expm1(s);
  const double phi = (std::abs(s) < 1e-300) ? 1.0 : em1 / s;
  double lambda = nikuradse_friction(p.diameter_m, p.roughness_m);
  if (options.friction != FrictionLaw::Nikuradse) {
    const double re =
        4.0 * std::abs(q) / (std::numbers::pi * p.diameter_m * gas.dynamic_viscosity_pa_s);
    lambda = options.friction == FrictionLaw::Hofer
                 ? hofer_friction(re, p.diameter_m, p.roughness_m)
                 : colebrook_friction(re, p.diameter_m, p.roughness_m);
  }
  const double big_lambda = 16.0 * lambda * rs * z * gas.temperature_k * p.length_m /
                            (std::numbers::pi * std::numbers::pi * std::pow(p.diameter_m, 5));
  // p_a^2 - e^S p_b^2 = (p_a - p_b)(p_a + p_b) - expm1(S) p_b^2, exact in the difference.
  const double lhs = (pa - pb) * (pa + pb) - em1 * pb * pb;
  const double rhs = big_lambda * phi * q * std::abs(q);
  const double den = std::max({std::abs(lhs), std::abs(rhs), std::abs(em1) * pb * pb,
                               kPipeLawFloorShare * std::max(pa * pa, pb * pb)});
  return std::abs(lhs - rhs) / den;
}

}  // namespace corridor
