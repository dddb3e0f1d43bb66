//! The optimal assignment of vacant dwellings to waiting households: a sparse maximum-weight
//! bipartite matching.
//!
//! The caller applies the hard constraints (bedrooms, accessibility, …) and passes only the
//! compatible pairs as edges, each with a positive weight (the household's priority points,
//! dominant, plus a small fit bonus). [`assign`] returns a matching — each dwelling to at most one
//! household and each household to at most one dwelling — with the largest total weight; a
//! dwelling or household may stay unassigned.
//!
//! # Algorithm and why it is optimal
//!
//! Each household gets a private "not placed" column of weight 0, so every matching extends to an
//! assignment that places *every* household (in a dwelling or its own column) with the same
//! weight, and the reverse. That rectangular assignment problem (cost = −weight) is solved by the
//! shortest augmenting path method (Jonker–Volgenant, as in Crouse 2016, the method behind
//! `scipy.optimize.linear_sum_assignment`), but over a sparse graph (CSR adjacency, Dijkstra with
//! a binary heap and Johnson potentials): households are added one at a time, each by the
//! cheapest augmenting path in the residual graph. The potentials stay a feasible LP dual with
//! complementary slackness after every step, so the final assignment is optimal by LP duality.
//! The dual is returned as a [`Certificate`]: non-negative prices `y` per dwelling and `z` per
//! household with `y[d] + z[h] ≥ weight` on every edge and `Σy + Σz = total`; since every matching
//! weighs at most `Σy + Σz` (weak duality), [`verify_optimal`] proves optimality without trusting
//! this code.
//!
//! Augmenting from the households, strongest claim first, rather than from the dwellings: a
//! dwelling's search would walk through every better-placed household it could also take (on
//! 50 000 × 5 000 that was about 50 s); a weaker household mostly finds its own column or a free
//! dwelling at once, since the dwellings' prices have already risen to what stronger claims pay.
//!
//! # Determinism
//!
//! Edges are put in a canonical order (by household, then dwelling) before solving, households
//! are added in a fixed order (largest edge weight first, then index), and Dijkstra breaks ties by
//! (distance, free column first, lowest index). The same set of edges therefore gives the same
//! assignment whatever order it came in.
//!
//! # Overflow
//!
//! Potentials stay within about `(2·(households + dwellings) + 2) · max weight` in magnitude;
//! weights above [`max_weight`] for the problem's size are refused with
//! [`MatchingError::WeightTooLarge`], so no sum can overflow `i64`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// One compatible pair: the household may get the dwelling, with this weight (> 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Edge {
    pub household: u32,
    pub dwelling: u32,
    pub weight: i64,
}

/// Households `0..households`, dwellings `0..dwellings` and their compatible pairs.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct AssignmentProblem {
    pub households: u32,
    pub dwellings: u32,
    pub edges: Vec<Edge>,
}

/// The chosen pairs `(household, dwelling)`, sorted, and their total weight.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Assignment {
    pub pairs: Vec<(u32, u32)>,
    pub total: i64,
}

/// An LP dual proving an assignment optimal: prices per dwelling and per household.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Certificate {
    pub dwelling_price: Vec<i64>,
    pub household_price: Vec<i64>,
}

/// Why a problem was refused. `edge` is the index into [`AssignmentProblem::edges`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatchingError {
    #[error("edges[{edge}].household is {household}, but there are only {households} households")]
    HouseholdOutOfRange {
        edge: usize,
        household: u32,
        households: u32,
    },
    #[error("edges[{edge}].dwelling is {dwelling}, but there are only {dwellings} dwellings")]
    DwellingOutOfRange { edge: usize, dwelling: u32, dwellings: u32 },
    #[error("edges[{edge}].weight is {weight}; a weight must be positive")]
    NonPositiveWeight { edge: usize, weight: i64 },
    #[error("edges[{edge}].weight is {weight}; at most {max} is safe for a problem of this size")]
    WeightTooLarge { edge: usize, weight: i64, max: i64 },
    #[error("edges[{edge}] repeats the pair (household {household}, dwelling {dwelling})")]
    DuplicateEdge { edge: usize, household: u32, dwelling: u32 },
    #[error("{edges} edges; at most 4 294 967 295 are supported")]
    TooManyEdges { edges: usize },
}

/// The largest weight [`assign`] accepts for a problem of this size: potentials and path lengths
/// stay within `(2·(households + dwellings) + 2) · weight`, and a reduced cost adds four of them.
pub fn max_weight(households: u32, dwellings: u32) -> i64 {
    i64::MAX / 8 / (2 * (i64::from(households) + i64::from(dwellings)) + 2)
}

/// The maximum-weight assignment of `problem`.
pub fn assign(problem: &AssignmentProblem) -> Result<Assignment, MatchingError> {
    assign_with_certificate(problem).map(|(assignment, _)| assignment)
}

/// The maximum-weight assignment of `problem` and the dual that proves it optimal.
pub fn assign_with_certificate(problem: &AssignmentProblem) -> Result<(Assignment, Certificate), MatchingError> {
    let graph = Graph::new(problem)?;
    Ok(Solver::new(&graph).solve(&graph))
}

/// Checks, independently of [`assign`], that `assignment` is a matching of `problem` with the
/// total it claims, and that `certificate` proves no matching weighs more.
pub fn verify_optimal(problem: &AssignmentProblem, assignment: &Assignment, certificate: &Certificate) -> bool {
    let (h, d) = (problem.households as usize, problem.dwellings as usize);
    if certificate.household_price.len() != h || certificate.dwelling_price.len() != d {
        return false;
    }
    let prices = certificate.household_price.iter().chain(&certificate.dwelling_price);
    if prices.clone().any(|&p| p < 0) {
        return false;
    }
    let weights: std::collections::HashMap<(u32, u32), i64> = problem
        .edges
        .iter()
        .map(|e| ((e.household, e.dwelling), e.weight))
        .collect();
    let mut used_h = vec![false; h];
    let mut used_d = vec![false; d];
    let mut total: i128 = 0;
    for &(hh, dd) in &assignment.pairs {
        let Some(&w) = weights.get(&(hh, dd)) else { return false };
        if hh as usize >= h || dd as usize >= d {
            return false;
        }
        if std::mem::replace(&mut used_h[hh as usize], true) || std::mem::replace(&mut used_d[dd as usize], true) {
            return false;
        }
        total += i128::from(w);
    }
    let covered = problem.edges.iter().all(|e| {
        let y = certificate.dwelling_price.get(e.dwelling as usize);
        let z = certificate.household_price.get(e.household as usize);
        y.zip(z)
            .is_some_and(|(&y, &z)| i128::from(y) + i128::from(z) >= i128::from(e.weight))
    });
    let bound: i128 = prices.map(|&p| i128::from(p)).sum();
    covered && total == i128::from(assignment.total) && total == bound
}

const NONE: u32 = u32::MAX;

/// The edges in compressed sparse rows, one row per household: household `h`'s dwellings are
/// `dwelling[start[h]..start[h + 1]]`, ascending, with their costs (−weight). `order` is the
/// order households are added in: strongest claim (largest weight) first, then by index.
struct Graph {
    households: usize,
    dwellings: usize,
    start: Vec<u32>,
    dwelling: Vec<u32>,
    cost: Vec<i64>,
    order: Vec<u32>,
}

impl Graph {
    fn new(problem: &AssignmentProblem) -> Result<Graph, MatchingError> {
        let (h, d) = (problem.households, problem.dwellings);
        let max = max_weight(h, d);
        let mut degree = vec![0u32; h as usize + 1];
        for (index, e) in problem.edges.iter().enumerate() {
            if e.household >= h {
                return Err(MatchingError::HouseholdOutOfRange {
                    edge: index,
                    household: e.household,
                    households: h,
                });
            }
            if e.dwelling >= d {
                return Err(MatchingError::DwellingOutOfRange {
                    edge: index,
                    dwelling: e.dwelling,
                    dwellings: d,
                });
            }
            if e.weight <= 0 {
                return Err(MatchingError::NonPositiveWeight {
                    edge: index,
                    weight: e.weight,
                });
            }
            if e.weight > max {
                return Err(MatchingError::WeightTooLarge {
                    edge: index,
                    weight: e.weight,
                    max,
                });
            }
            degree[e.household as usize + 1] += 1;
        }
        if u32::try_from(problem.edges.len()).is_err() {
            return Err(MatchingError::TooManyEdges {
                edges: problem.edges.len(),
            });
        }
        // Counting sort by household, then each row by dwelling: the canonical order. Rows hold
        // (dwelling, index of the edge) to keep the peak memory at 8 bytes an edge.
        let mut start = degree;
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut rows = vec![(0u32, 0u32); problem.edges.len()];
        for (index, e) in problem.edges.iter().enumerate() {
            let slot = &mut next[e.household as usize];
            rows[*slot as usize] = (e.dwelling, index as u32);
            *slot += 1;
        }
        drop(next);
        let mut best = vec![0i64; h as usize];
        for household in 0..h as usize {
            let row = &mut rows[start[household] as usize..start[household + 1] as usize];
            row.sort_unstable();
            if let Some(pair) = row.windows(2).find(|pair| pair[0].0 == pair[1].0) {
                return Err(MatchingError::DuplicateEdge {
                    edge: pair[1].1 as usize,
                    household: household as u32,
                    dwelling: pair[0].0,
                });
            }
            best[household] = row
                .iter()
                .map(|r| problem.edges[r.1 as usize].weight)
                .max()
                .unwrap_or(0);
        }
        // Households without edges cannot be placed; the rest strongest first, which keeps the
        // augmenting paths short (a later household seldom displaces an earlier one). Any order
        // gives an optimum; this one is fixed by the input alone.
        let mut order: Vec<u32> = (0..h).filter(|&x| best[x as usize] > 0).collect();
        order.sort_unstable_by_key(|&x| (Reverse(best[x as usize]), x));
        Ok(Graph {
            households: h as usize,
            dwellings: d as usize,
            start,
            dwelling: rows.iter().map(|r| r.0).collect(),
            cost: rows.iter().map(|r| -problem.edges[r.1 as usize].weight).collect(),
            order,
        })
    }
}

/// Shortest augmenting path state. Rows are households; columns are dwellings `0..d` followed by
/// each household's own "not placed" column `d + h`.
struct Solver {
    /// Row and column potentials (the LP dual of the min-cost form).
    u: Vec<i64>,
    v: Vec<i64>,
    col_of_row: Vec<u32>,
    row_of_col: Vec<u32>,
    // Per-search scratch, reset through the `touched`/`scanned` lists so a search costs only
    // what it visits.
    distance: Vec<i64>,
    via_row: Vec<u32>,
    done: Vec<bool>,
    touched: Vec<u32>,
    scanned_cols: Vec<u32>,
    scanned_rows: Vec<u32>,
    heap: BinaryHeap<Reverse<(i64, bool, u32)>>,
}

impl Solver {
    fn new(graph: &Graph) -> Solver {
        let columns = graph.dwellings + graph.households;
        Solver {
            u: vec![0; graph.households],
            v: vec![0; columns],
            col_of_row: vec![NONE; graph.households],
            row_of_col: vec![NONE; columns],
            distance: vec![i64::MAX; columns],
            via_row: vec![NONE; columns],
            done: vec![false; columns],
            touched: Vec::new(),
            scanned_cols: Vec::new(),
            scanned_rows: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    fn solve(mut self, graph: &Graph) -> (Assignment, Certificate) {
        for &row in &graph.order {
            self.add_row(graph, row);
        }
        let d = graph.dwellings;
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut total = 0i64;
        for (household, &col) in self.col_of_row.iter().enumerate() {
            if (col as usize) < d {
                pairs.push((household as u32, col));
                // Within bounds: max_weight keeps the number of pairs × weight below i64::MAX.
                total += -self.edge_cost(graph, household, col);
            }
        }
        // Max-weight dual from the min-cost dual: y = −v (dwellings), z = −u − v(own column);
        // a household never added (no edges) has price 0.
        let certificate = Certificate {
            dwelling_price: self.v[..d].iter().map(|&v| -v).collect(),
            household_price: (0..graph.households).map(|h| -self.u[h] - self.v[d + h]).collect(),
        };
        (Assignment { pairs, total }, certificate)
    }

    fn edge_cost(&self, graph: &Graph, household: usize, dwelling: u32) -> i64 {
        let (lo, hi) = (graph.start[household] as usize, graph.start[household + 1] as usize);
        let at = graph.dwelling[lo..hi]
            .binary_search(&dwelling)
            .expect("an assigned pair is an edge");
        graph.cost[lo + at]
    }

    /// Places household `first` by the cheapest augmenting path (Dijkstra on reduced costs), then
    /// updates the potentials so reduced costs stay non-negative and zero on assigned pairs.
    fn add_row(&mut self, graph: &Graph, first: u32) {
        let d = graph.dwellings;
        let mut min_distance = 0i64;
        let mut row = first;
        let sink = loop {
            self.scanned_rows.push(row);
            let r = row as usize;
            let (lo, hi) = (graph.start[r] as usize, graph.start[r + 1] as usize);
            let columns = graph.dwelling[lo..hi].iter().zip(&graph.cost[lo..hi]);
            let own = (d + r) as u32;
            for (&col, &cost) in columns.chain(std::iter::once((&own, &0))) {
                let c = col as usize;
                if self.done[c] {
                    continue;
                }
                let reduced = min_distance + cost - self.u[r] - self.v[c];
                if reduced < self.distance[c] {
                    if self.distance[c] == i64::MAX {
                        self.touched.push(col);
                    }
                    self.distance[c] = reduced;
                    self.via_row[c] = row;
                    self.heap.push(Reverse((reduced, self.row_of_col[c] != NONE, col)));
                }
            }
            // The first row's own column is always reachable and free, so the heap never runs
            // dry before a free column is found.
            let (distance, col) = loop {
                let Reverse((distance, _, col)) = self.heap.pop().expect("a free column is reachable");
                if !self.done[col as usize] && distance == self.distance[col as usize] {
                    break (distance, col);
                }
            };
            min_distance = distance;
            self.done[col as usize] = true;
            self.scanned_cols.push(col);
            match self.row_of_col[col as usize] {
                NONE => break col,
                next => row = next,
            }
        };

        // Potentials: the usual Johnson update, capped at the sink's distance for what the
        // search did not settle.
        self.u[first as usize] += min_distance;
        for &r in &self.scanned_rows[1..] {
            let col = self.col_of_row[r as usize] as usize;
            self.u[r as usize] += min_distance - self.distance[col];
        }
        for &c in &self.scanned_cols {
            self.v[c as usize] -= min_distance - self.distance[c as usize];
        }
        // Augment along the path back to `first`.
        let mut col = sink;
        loop {
            let r = self.via_row[col as usize];
            self.row_of_col[col as usize] = r;
            let previous = std::mem::replace(&mut self.col_of_row[r as usize], col);
            if r == first {
                break;
            }
            col = previous;
        }
        for &c in &self.touched {
            self.distance[c as usize] = i64::MAX;
            self.done[c as usize] = false;
        }
        self.touched.clear();
        self.scanned_cols.clear();
        self.scanned_rows.clear();
        self.heap.clear();
    }
}

#[cfg(test)]
mod tests;
