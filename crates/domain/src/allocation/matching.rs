//! The optimal assignment of vacant dwellings to waiting households: a sparse maximum-weight
//! bipartite matching.
//!
//! The caller applies the hard constraints (bedrooms, accessibility, …) and passes only the
//! compatible pairs as edges, each with a positive weight (the household's priority points,
//! dominant, plus a small fit bonus). [`assign`] returns a matching — each dwelling to at most one
//! household and each household to at most one dwelling — with the largest total weight; a
//! dwelling or household may stay unassigned.
//!
//! Dwellings with the same facts are interchangeable: every household fits them equally well.
//! [`assign_grouped`] takes such groups as single columns with a capacity (how many dwellings
//! the group holds), so the edges grow with households × groups instead of households ×
//! dwellings; [`assign`] is the case where every group holds one dwelling.
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
//! this code. With groups the bound is `Σ capacity·y + Σz` ([`verify_grouped_optimal`]).
//!
//! A group's column is free while it holds fewer households than its capacity; a full group
//! is passed through like a taken dwelling, except that the search continues from every
//! household in it (all at the group's distance, since an assigned pair's reduced cost is 0).
//! A column's price moves only while it is full, so a group with room left keeps price 0, as a
//! vacant dwelling does.
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

/// Households `0..households` and groups of interchangeable dwellings `0..capacity.len()`, group
/// `g` holding `capacity[g]` dwellings; an edge's `dwelling` is a group.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupedProblem {
    pub households: u32,
    pub capacity: Vec<u32>,
    pub edges: Vec<Edge>,
}

/// The chosen pairs `(household, dwelling)`, sorted, and their total weight. For a
/// [`GroupedProblem`] the second of a pair is the group.
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
    #[error("the groups hold {dwellings} dwellings; at most 4 294 967 295 are supported")]
    TooManyDwellings { dwellings: u64 },
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
    let capacity = vec![1; problem.dwellings as usize];
    let graph = Graph::new(problem.households, &capacity, &problem.edges)?;
    Ok(Solver::new(&graph).solve(&graph))
}

/// The maximum-weight assignment of households to groups, each group taking at most its
/// capacity: the pairs are `(household, group)`.
pub fn assign_grouped(problem: &GroupedProblem) -> Result<Assignment, MatchingError> {
    assign_grouped_with_certificate(problem).map(|(assignment, _)| assignment)
}

/// [`assign_grouped`] and the dual that proves it optimal (a price per group).
pub fn assign_grouped_with_certificate(problem: &GroupedProblem) -> Result<(Assignment, Certificate), MatchingError> {
    let graph = Graph::new(problem.households, &problem.capacity, &problem.edges)?;
    Ok(Solver::new(&graph).solve(&graph))
}

/// Checks, independently of [`assign`], that `assignment` is a matching of `problem` with the
/// total it claims, and that `certificate` proves no matching weighs more.
pub fn verify_optimal(problem: &AssignmentProblem, assignment: &Assignment, certificate: &Certificate) -> bool {
    let capacity = vec![1; problem.dwellings as usize];
    verify(problem.households, &capacity, &problem.edges, assignment, certificate)
}

/// Checks, independently of [`assign_grouped`], that `assignment` places every household at
/// most once and no group beyond its capacity, with the total it claims, and that
/// `certificate` proves no such assignment weighs more (`Σ capacity·y + Σz` = total).
pub fn verify_grouped_optimal(problem: &GroupedProblem, assignment: &Assignment, certificate: &Certificate) -> bool {
    verify(
        problem.households,
        &problem.capacity,
        &problem.edges,
        assignment,
        certificate,
    )
}

fn verify(
    households: u32,
    capacity: &[u32],
    edges: &[Edge],
    assignment: &Assignment,
    certificate: &Certificate,
) -> bool {
    let (h, d) = (households as usize, capacity.len());
    if certificate.household_price.len() != h || certificate.dwelling_price.len() != d {
        return false;
    }
    let prices = certificate.household_price.iter().chain(&certificate.dwelling_price);
    if prices.clone().any(|&p| p < 0) {
        return false;
    }
    let weights: std::collections::HashMap<(u32, u32), i64> =
        edges.iter().map(|e| ((e.household, e.dwelling), e.weight)).collect();
    let mut used_h = vec![false; h];
    let mut used_d = vec![0u32; d];
    let mut total: i128 = 0;
    for &(hh, dd) in &assignment.pairs {
        let Some(&w) = weights.get(&(hh, dd)) else { return false };
        if hh as usize >= h || dd as usize >= d {
            return false;
        }
        if std::mem::replace(&mut used_h[hh as usize], true) {
            return false;
        }
        used_d[dd as usize] += 1;
        if used_d[dd as usize] > capacity[dd as usize] {
            return false;
        }
        total += i128::from(w);
    }
    let covered = edges.iter().all(|e| {
        let y = certificate.dwelling_price.get(e.dwelling as usize);
        let z = certificate.household_price.get(e.household as usize);
        y.zip(z)
            .is_some_and(|(&y, &z)| i128::from(y) + i128::from(z) >= i128::from(e.weight))
    });
    let bound: i128 = certificate.household_price.iter().map(|&p| i128::from(p)).sum::<i128>()
        + certificate
            .dwelling_price
            .iter()
            .zip(capacity)
            .map(|(&p, &c)| i128::from(p) * i128::from(c))
            .sum::<i128>();
    covered && total == i128::from(assignment.total) && total == bound
}

const NONE: u32 = u32::MAX;

/// The edges in compressed sparse rows, one row per household: household `h`'s dwellings are
/// `dwelling[start[h]..start[h + 1]]`, ascending, with their costs (−weight). `order` is the
/// order households are added in: strongest claim (largest weight) first, then by index.
/// Columns are dwellings (or groups, each taking `capacity` households).
struct Graph {
    households: usize,
    dwellings: usize,
    capacity: Vec<u32>,
    start: Vec<u32>,
    dwelling: Vec<u32>,
    cost: Vec<i64>,
    order: Vec<u32>,
}

impl Graph {
    fn new(h: u32, capacity: &[u32], edges: &[Edge]) -> Result<Graph, MatchingError> {
        let held: u64 = capacity.iter().map(|&c| u64::from(c)).sum();
        let Ok(held) = u32::try_from(held.max(capacity.len() as u64)) else {
            return Err(MatchingError::TooManyDwellings { dwellings: held });
        };
        let d = capacity.len() as u32;
        // Paths and potentials are bounded as in the problem with every dwelling its own column.
        let max = max_weight(h, held);
        let mut degree = vec![0u32; h as usize + 1];
        for (index, e) in edges.iter().enumerate() {
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
        if u32::try_from(edges.len()).is_err() {
            return Err(MatchingError::TooManyEdges { edges: edges.len() });
        }
        // Counting sort by household, then each row by dwelling: the canonical order. Rows hold
        // (dwelling, index of the edge) to keep the peak memory at 8 bytes an edge.
        let mut start = degree;
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut rows = vec![(0u32, 0u32); edges.len()];
        for (index, e) in edges.iter().enumerate() {
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
            best[household] = row.iter().map(|r| edges[r.1 as usize].weight).max().unwrap_or(0);
        }
        // Households without edges cannot be placed; the rest strongest first, which keeps the
        // augmenting paths short (a later household seldom displaces an earlier one). Any order
        // gives an optimum; this one is fixed by the input alone.
        let mut order: Vec<u32> = (0..h).filter(|&x| best[x as usize] > 0).collect();
        order.sort_unstable_by_key(|&x| (Reverse(best[x as usize]), x));
        Ok(Graph {
            households: h as usize,
            dwellings: d as usize,
            capacity: capacity.to_vec(),
            start,
            dwelling: rows.iter().map(|r| r.0).collect(),
            cost: rows.iter().map(|r| -edges[r.1 as usize].weight).collect(),
            order,
        })
    }
}

/// Shortest augmenting path state. Rows are households; columns are dwellings (or groups)
/// `0..d` followed by each household's own "not placed" column `d + h`, which holds one.
struct Solver {
    /// Row and column potentials (the LP dual of the min-cost form).
    u: Vec<i64>,
    v: Vec<i64>,
    col_of_row: Vec<u32>,
    /// How many households a column holds, and which: a doubly linked list per column through
    /// `next_in_col`/`prev_in_col`, so a household moves between columns in constant time.
    held: Vec<u32>,
    first_in_col: Vec<u32>,
    next_in_col: Vec<u32>,
    prev_in_col: Vec<u32>,
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
            held: vec![0; columns],
            first_in_col: vec![NONE; columns],
            next_in_col: vec![NONE; graph.households],
            prev_in_col: vec![NONE; graph.households],
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

    fn capacity(&self, graph: &Graph, col: usize) -> u32 {
        graph.capacity.get(col).copied().unwrap_or(1)
    }

    fn is_full(&self, graph: &Graph, col: usize) -> bool {
        self.held[col] >= self.capacity(graph, col)
    }

    /// Relaxes every column household `row` (at distance `at`) has an edge to, and its own.
    fn scan_row(&mut self, graph: &Graph, row: u32, at: i64) {
        self.scanned_rows.push(row);
        let r = row as usize;
        let (lo, hi) = (graph.start[r] as usize, graph.start[r + 1] as usize);
        let own = (graph.dwellings + r) as u32;
        let columns = graph.dwelling[lo..hi].iter().zip(&graph.cost[lo..hi]);
        for (&col, &cost) in columns.chain(std::iter::once((&own, &0))) {
            let c = col as usize;
            if self.done[c] {
                continue;
            }
            let reduced = at + cost - self.u[r] - self.v[c];
            if reduced < self.distance[c] {
                if self.distance[c] == i64::MAX {
                    self.touched.push(col);
                }
                self.distance[c] = reduced;
                self.via_row[c] = row;
                self.heap.push(Reverse((reduced, self.is_full(graph, c), col)));
            }
        }
    }

    /// Places household `first` by the cheapest augmenting path (Dijkstra on reduced costs), then
    /// updates the potentials so reduced costs stay non-negative and zero on assigned pairs.
    fn add_row(&mut self, graph: &Graph, first: u32) {
        self.scan_row(graph, first, 0);
        let sink = loop {
            // The first row's own column is always reachable and free, so the heap never runs
            // dry before a free column is found.
            let (distance, col) = loop {
                let Reverse((distance, _, col)) = self.heap.pop().expect("a free column is reachable");
                if !self.done[col as usize] && distance == self.distance[col as usize] {
                    break (distance, col);
                }
            };
            self.done[col as usize] = true;
            self.scanned_cols.push(col);
            if !self.is_full(graph, col as usize) {
                break col;
            }
            // Every household in a full column is reached at the column's distance: an
            // assigned pair's reduced cost is 0.
            let mut row = self.first_in_col[col as usize];
            while row != NONE {
                self.scan_row(graph, row, distance);
                row = self.next_in_col[row as usize];
            }
        };
        let min_distance = self.distance[sink as usize];

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
        // Augment along the path back to `first`: each household on it moves one column on.
        let mut col = sink;
        loop {
            let r = self.via_row[col as usize];
            let previous = self.col_of_row[r as usize];
            if previous != NONE {
                self.unlink(r, previous);
            }
            self.link(r, col);
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

    fn link(&mut self, row: u32, col: u32) {
        let (r, c) = (row as usize, col as usize);
        self.col_of_row[r] = col;
        self.held[c] += 1;
        let head = self.first_in_col[c];
        self.next_in_col[r] = head;
        self.prev_in_col[r] = NONE;
        if head != NONE {
            self.prev_in_col[head as usize] = row;
        }
        self.first_in_col[c] = row;
    }

    fn unlink(&mut self, row: u32, col: u32) {
        let (r, c) = (row as usize, col as usize);
        let (prev, next) = (self.prev_in_col[r], self.next_in_col[r]);
        match prev {
            NONE => self.first_in_col[c] = next,
            p => self.next_in_col[p as usize] = next,
        }
        if next != NONE {
            self.prev_in_col[next as usize] = prev;
        }
        self.held[c] -= 1;
        self.col_of_row[r] = NONE;
    }
}

#[cfg(test)]
mod tests;
