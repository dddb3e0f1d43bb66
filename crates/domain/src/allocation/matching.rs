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
//! Each dwelling gets a private "stay vacant" column of weight 0, so every matching extends to an
//! assignment that places *every* dwelling (in a household or its own vacant column) with the
//! same weight, and the reverse. That rectangular assignment problem (cost = −weight) is solved by
//! the shortest augmenting path method (Jonker–Volgenant, as in Crouse 2016, the method behind
//! `scipy.optimize.linear_sum_assignment`), but over a sparse graph (CSR adjacency, Dijkstra with
//! a binary heap and Johnson potentials): dwellings are added one at a time, each by the
//! cheapest augmenting path in the residual graph. The potentials stay a feasible LP dual with
//! complementary slackness after every step, so the final assignment is optimal by LP duality.
//! The dual is returned as a [`Certificate`]: non-negative prices `y` per dwelling and `z` per
//! household with `y[d] + z[h] ≥ weight` on every edge and `Σy + Σz = total`; since every matching
//! weighs at most `Σy + Σz` (weak duality), [`verify_optimal`] proves optimality without trusting
//! this code.
//!
//! # Determinism
//!
//! Edges are put in a canonical order (by dwelling, then household) before solving, dwellings are
//! added in index order, and Dijkstra breaks ties by (distance, free household first, lowest
//! index). The same set of edges therefore gives the same assignment whatever order it came in.
//!
//! # Overflow
//!
//! Potentials stay within about `(2·dwellings + 2) · max weight` in magnitude; weights above
//! [`max_weight`] for the problem's size are refused with [`MatchingError::WeightTooLarge`], so
//! no sum can overflow `i64`.

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

/// The largest weight [`assign`] accepts for a problem with this many dwellings: potentials and
/// path lengths stay within `(2·dwellings + 2) · weight`, and a reduced cost adds four of them.
pub fn max_weight(dwellings: u32) -> i64 {
    i64::MAX / 8 / (2 * i64::from(dwellings) + 2)
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
        if std::mem::replace(&mut used_h[hh as usize], true) || std::mem::replace(&mut used_d[dd as usize], true) {
            return false;
        }
        total += i128::from(w);
    }
    let covered = problem.edges.iter().all(|e| {
        i128::from(certificate.dwelling_price[e.dwelling as usize])
            + i128::from(certificate.household_price[e.household as usize])
            >= i128::from(e.weight)
    });
    let bound: i128 = prices.map(|&p| i128::from(p)).sum();
    covered && total == i128::from(assignment.total) && total == bound
}

const NONE: u32 = u32::MAX;

/// The edges in compressed sparse rows: dwelling `d`'s households are
/// `household[start[d]..start[d + 1]]`, ascending, with their costs (−weight).
struct Graph {
    households: usize,
    dwellings: usize,
    start: Vec<u32>,
    household: Vec<u32>,
    cost: Vec<i64>,
}

impl Graph {
    fn new(problem: &AssignmentProblem) -> Result<Graph, MatchingError> {
        let (h, d) = (problem.households, problem.dwellings);
        let max = max_weight(d);
        let mut degree = vec![0u32; d as usize + 1];
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
            degree[e.dwelling as usize + 1] += 1;
        }
        if u32::try_from(problem.edges.len()).is_err() {
            return Err(MatchingError::TooManyEdges {
                edges: problem.edges.len(),
            });
        }
        // Counting sort by dwelling, then each row by household: the canonical order. Rows hold
        // (household, index of the edge) to keep the peak memory at 8 bytes an edge.
        let mut start = degree;
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut rows = vec![(0u32, 0u32); problem.edges.len()];
        for (index, e) in problem.edges.iter().enumerate() {
            let slot = &mut next[e.dwelling as usize];
            rows[*slot as usize] = (e.household, index as u32);
            *slot += 1;
        }
        drop(next);
        for dwelling in 0..d as usize {
            let row = &mut rows[start[dwelling] as usize..start[dwelling + 1] as usize];
            row.sort_unstable();
            if let Some(pair) = row.windows(2).find(|pair| pair[0].0 == pair[1].0) {
                return Err(MatchingError::DuplicateEdge {
                    edge: pair[1].1 as usize,
                    household: pair[0].0,
                    dwelling: dwelling as u32,
                });
            }
        }
        Ok(Graph {
            households: h as usize,
            dwellings: d as usize,
            start,
            household: rows.iter().map(|r| r.0).collect(),
            cost: rows.iter().map(|r| -problem.edges[r.1 as usize].weight).collect(),
        })
    }
}

/// Shortest augmenting path state. Rows are dwellings; columns are households `0..h` followed by
/// each dwelling's own vacant column `h + d`.
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
        let columns = graph.households + graph.dwellings;
        Solver {
            u: vec![0; graph.dwellings],
            v: vec![0; columns],
            col_of_row: vec![NONE; graph.dwellings],
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
        for row in 0..graph.dwellings as u32 {
            self.add_row(graph, row);
        }
        let h = graph.households;
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut total = 0i64;
        for (dwelling, &col) in self.col_of_row.iter().enumerate() {
            if (col as usize) < h {
                pairs.push((col, dwelling as u32));
                // Within bounds: max_weight keeps dwellings · weight far below i64::MAX.
                total += -self.edge_cost(graph, dwelling, col);
            }
        }
        pairs.sort_unstable();
        // Max-weight dual from the min-cost dual: z = −v (households), y = −u − v(vacant column).
        let certificate = Certificate {
            dwelling_price: (0..graph.dwellings).map(|d| -self.u[d] - self.v[h + d]).collect(),
            household_price: self.v[..h].iter().map(|&v| -v).collect(),
        };
        (Assignment { pairs, total }, certificate)
    }

    fn edge_cost(&self, graph: &Graph, dwelling: usize, household: u32) -> i64 {
        let (lo, hi) = (graph.start[dwelling] as usize, graph.start[dwelling + 1] as usize);
        let at = graph.household[lo..hi]
            .binary_search(&household)
            .expect("an assigned pair is an edge");
        graph.cost[lo + at]
    }

    /// Places dwelling `first` by the cheapest augmenting path (Dijkstra on reduced costs), then
    /// updates the potentials so reduced costs stay non-negative and zero on assigned pairs.
    fn add_row(&mut self, graph: &Graph, first: u32) {
        let h = graph.households;
        let mut min_distance = 0i64;
        let mut row = first;
        let sink = loop {
            self.scanned_rows.push(row);
            let r = row as usize;
            let (lo, hi) = (graph.start[r] as usize, graph.start[r + 1] as usize);
            let columns = graph.household[lo..hi].iter().zip(&graph.cost[lo..hi]);
            let vacant = (h + r) as u32;
            for (&col, &cost) in columns.chain(std::iter::once((&vacant, &0))) {
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
            // The first row's vacant column is always reachable, so the heap never runs dry
            // before a free column is found.
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
