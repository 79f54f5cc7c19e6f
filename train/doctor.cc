#include "train/doctor.h"

#include <torch/torch.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <set>
#include <unordered_map>

#include "common/error.h"
#include "common/fs.h"
#include "data/function_graph.h"
#include "data/sample.h"
#include "detector/batch_tensors.h"
#include "detector/torch_api.h"
#include "parser/language.h"
#include "parser/rewrites.h"
#include "train/checkpoint.h"
#include "train/phases.h"
#include "train/validation.h"

namespace bugseek::train {
namespace {

std::string fmt(const char* format, double a, double b = 0, double c = 0) {
  char buf[256];
  std::snprintf(buf, sizeof buf, format, a, b, c);
  return buf;
}

// Function text with all whitespace removed: a copy that differs only in layout is the same.
size_t text_key(const std::string& text) {
  std::string squeezed;
  squeezed.reserve(text.size());
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') squeezed.push_back(c);
  }
  return std::hash<std::string>{}(squeezed);
}

DoctorCheck check_splits(const DoctorInputs& in) {
  DoctorCheck check{"splits are disjoint", false, ""};
  std::unordered_map<size_t, int> split_of_text;
  std::unordered_map<std::string, int> split_of_file;
  int64_t shared_texts = 0, shared_files = 0;
  const std::vector<data::FunctionRecord>* splits[] = {in.train, in.valid, in.test};
  for (int s = 0; s < 3; ++s) {
    if (splits[s] == nullptr) continue;
    for (const auto& r : *splits[s]) {
      auto [it, fresh] = split_of_text.emplace(text_key(r.text), s);
      if (!fresh && it->second != s) ++shared_texts;
      auto [fit, ffresh] = split_of_file.emplace(r.file, s);
      if (!ffresh && fit->second != s) ++shared_files;
    }
  }
  check.passed = shared_texts == 0 && shared_files == 0;
  check.detail = std::to_string(split_of_text.size()) + " distinct functions; " +
                 std::to_string(shared_texts) + " function texts and " +
                 std::to_string(shared_files) + " files in more than one split (expected 0)";
  return check;
}

DoctorCheck check_round_trip(const DoctorInputs& in) {
  DoctorCheck check{"planted bugs round-trip", false, ""};
  data::SampleOptions options;
  options.buggy_fraction = 1;
  options.max_nodes = in.max_nodes;
  data::RandomBugSelector random;
  int planted = 0, restored = 0;
  const size_t n = std::min<size_t>(in.train->size(), 200);
  for (size_t i = 0; i < n; ++i) {
    const auto& record = (*in.train)[(i * 7919) % in.train->size()];
    data::Rng rng(in.seed + i);
    data::Sample s = data::make_sample(record, options, *in.featurizer, &random, rng);
    if (s.status != data::SampleStatus::kBuggy) continue;
    ++planted;
    restored += parser::apply_edit(s.buggy_text, s.repair) == record.text;
  }
  check.passed = planted > 0 && restored == planted;
  check.detail = std::to_string(restored) + "/" + std::to_string(planted) +
                 " planted bugs restored byte for byte by their repair";
  return check;
}

std::vector<data::GraphFeatures> sample_graphs(const std::vector<data::FunctionRecord>& records,
                                               const DoctorInputs& in, size_t count, uint64_t salt) {
  data::SampleOptions options;
  options.buggy_fraction = 0.5;
  options.max_nodes = std::min<uint32_t>(in.max_nodes, 400);
  data::RandomBugSelector random;
  std::vector<data::GraphFeatures> graphs;
  for (size_t i = 0; i < records.size() * 2 && graphs.size() < count; ++i) {
    data::Rng rng(in.seed * 31 + salt * 1000003 + i);
    const auto& record = records[(i * 104729 + salt) % records.size()];
    data::Sample s = data::make_sample(record, options, *in.featurizer, &random, rng);
    if (s.status == data::SampleStatus::kBuggy || s.status == data::SampleStatus::kClean) {
      graphs.push_back(std::move(s.features));
    }
  }
  return graphs;
}

// Graphs whose targets reach every part of the model: a clean graph and a planted bug repaired
// by each candidate kind (text, symbol, swap), each at a site with two or more candidates (a
// softmax over one candidate is constant and passes no gradient), so an untouched head is a real
// finding. `covered` says which kinds were found.
std::vector<data::GraphFeatures> covering_graphs(const std::vector<data::FunctionRecord>& records,
                                                 const DoctorInputs& in, bool covered[3]) {
  std::vector<data::GraphFeatures> pool = sample_graphs(records, in, 400, 4);
  std::vector<data::GraphFeatures> picked;
  bool have_clean = false;
  for (int k = 0; k < 3; ++k) covered[k] = false;
  for (auto& g : pool) {
    if (g.target_site < 0) {
      if (have_clean) continue;
      have_clean = true;
    } else {
      const int kind = g.cand_kind[g.target_cand];
      const auto at_site = std::count(g.cand_site.begin(), g.cand_site.end(), g.target_site);
      if (kind < 0 || kind > 2 || covered[kind] || at_site < 2) continue;
      covered[kind] = true;
    }
    picked.push_back(std::move(g));
  }
  return picked;
}

data::Batch to_batch(const std::vector<data::GraphFeatures>& graphs) {
  data::Batch batch;
  for (const auto& g : graphs) data::append_to_batch(batch, g);
  return batch;
}

DoctorCheck check_initial_loss(const DoctorInputs& in, const std::vector<data::GraphFeatures>& graphs) {
  DoctorCheck check{"initial loss matches uniform predictions", false, ""};
  double expected = 0;
  for (const auto& g : graphs) {
    expected += std::log(double(g.site_node.size()) + 1.0);
    if (g.target_site >= 0) {
      expected += std::log(double(std::count(g.cand_site.begin(), g.cand_site.end(), g.target_site)));
    }
  }
  expected /= double(graphs.size());
  detector::Detector det(in.config, in.seed, in.device);
  det.set_training(false);
  const double actual = det.evaluate(to_batch(graphs)).loss;
  const double ratio = actual / expected;
  check.passed = ratio > 0.67 && ratio < 1.5;
  check.detail = fmt("loss %.3f vs %.3f expected from uniform (ratio %.2f, pass within 0.67-1.5)",
                     actual, expected, ratio);
  return check;
}

DoctorCheck check_gradients(const DoctorInputs& in) {
  DoctorCheck check{"every parameter gets a gradient", false, ""};
  bool covered[3];
  const std::vector<data::GraphFeatures> graphs = covering_graphs(*in.train, in, covered);
  if (!covered[0] || !covered[1] || !covered[2]) {
    check.detail = std::string("could not find planted bugs of every repair kind (text ") +
                   (covered[0] ? "yes" : "no") + ", variable " + (covered[1] ? "yes" : "no") +
                   ", swap " + (covered[2] ? "yes" : "no") + ") in 400 training samples";
    return check;
  }
  detector::Detector det(in.config, in.seed, in.device);
  det.set_training(false);
  detector::ForwardOutput out = detector::forward(det, to_batch(graphs));
  out.loss.backward();
  std::vector<std::string> missing;
  int total = 0;
  for (auto& [name, p] : detector::named_parameters(det)) {
    ++total;
    if (!p.grad().defined() || p.grad().abs().sum().item<double>() == 0.0) missing.push_back(name);
  }
  check.passed = missing.empty();
  check.detail = std::to_string(total - static_cast<int>(missing.size())) + "/" +
                 std::to_string(total) + " parameter tensors have a non-zero gradient";
  for (size_t i = 0; i < missing.size() && i < 6; ++i) {
    check.detail += (i == 0 ? "; zero or none: " : ", ") + missing[i];
  }
  if (missing.size() > 6) check.detail += ", ...";
  return check;
}

// Trains a fresh detector for `steps` on `batches` (round robin) and returns it.
detector::Detector train_fresh(const DoctorInputs& in, const std::vector<data::Batch>& batches,
                               int steps, double lr) {
  detector::Detector det(in.config, in.seed, in.device);
  det.set_training(false);  // no dropout: the checks measure fitting, not regularization
  torch::optim::Adam optimizer(detector::parameters(det), torch::optim::AdamOptions(lr));
  for (int step = 0; step < steps; ++step) {
    optimizer.zero_grad();
    detector::ForwardOutput out = detector::forward(det, batches[step % batches.size()]);
    out.loss.backward();
    optimizer.step();
  }
  return det;
}

DoctorCheck check_overfit(const DoctorInputs& in, const std::vector<data::GraphFeatures>& graphs) {
  DoctorCheck check{"one batch overfits", false, ""};
  std::vector<data::Batch> batch = {to_batch(graphs)};
  detector::Detector det = train_fresh(in, batch, in.learning_steps * 2, 3e-3);
  const auto result = det.evaluate(batch[0]);
  check.passed = result.overall_acc >= 0.9;
  check.detail = fmt("overall accuracy %.2f after %.0f steps on %.0f graphs (pass >= 0.90)",
                     result.overall_acc, in.learning_steps * 2.0, double(graphs.size()));
  return check;
}

// Each graph's target replaced by a random site (or NO_BUG) and a random candidate there.
std::vector<data::GraphFeatures> shuffle_targets(std::vector<data::GraphFeatures> graphs,
                                                 uint64_t seed) {
  data::Rng rng(seed);
  for (auto& g : graphs) {
    const auto sites = static_cast<int32_t>(g.site_node.size());
    int32_t site = std::uniform_int_distribution<int32_t>(-1, sites - 1)(rng);
    g.target_site = site;
    g.target_cand = -1;
    if (site < 0) continue;
    std::vector<int32_t> cands;
    for (int32_t c = 0; c < static_cast<int32_t>(g.cand_site.size()); ++c) {
      if (g.cand_site[c] == site) cands.push_back(c);
    }
    g.target_cand = cands[std::uniform_int_distribution<size_t>(0, cands.size() - 1)(rng)];
  }
  return graphs;
}

DoctorCheck check_shuffled(const DoctorInputs& in, const std::vector<data::GraphFeatures>& train,
                           const std::vector<data::GraphFeatures>& held_out) {
  DoctorCheck check{"true targets beat shuffled targets", false, ""};
  std::vector<data::Batch> true_batches, shuffled_batches;
  auto shuffled = shuffle_targets(train, in.seed + 99);
  for (size_t i = 0; i < train.size(); i += 16) {
    const size_t end = std::min(train.size(), i + 16);
    true_batches.push_back(to_batch({train.begin() + i, train.begin() + end}));
    shuffled_batches.push_back(to_batch({shuffled.begin() + i, shuffled.begin() + end}));
  }
  const data::Batch eval_batch = to_batch(held_out);
  detector::Detector good = train_fresh(in, true_batches, in.learning_steps, 2e-3);
  detector::Detector bad = train_fresh(in, shuffled_batches, in.learning_steps, 2e-3);
  const auto good_result = good.evaluate(eval_batch);
  const auto bad_result = bad.evaluate(eval_batch);
  check.passed = good_result.loss < bad_result.loss * 0.9;
  check.detail = fmt("held-out loss %.3f (true targets) vs %.3f (shuffled); joint %.2f", good_result.loss,
                     bad_result.loss, good_result.joint_acc) +
                 fmt(" vs %.2f (pass: true loss < 0.9 x shuffled)", bad_result.joint_acc);
  return check;
}

}  // namespace

DoctorCheck guarded_check(const std::string& name, const std::function<DoctorCheck()>& run) {
  try {
    return run();
  } catch (const std::exception& e) {
    return {name, false, std::string("error: ") + e.what()};
  }
}

std::vector<DoctorCheck> run_doctor(const DoctorInputs& in) {
  std::vector<DoctorCheck> checks;
  checks.push_back(guarded_check("splits are disjoint", [&] { return check_splits(in); }));
  if (in.train == nullptr || in.train->empty()) {
    checks.push_back({"training split is not empty", false, "no training functions"});
    return checks;
  }
  checks.push_back(guarded_check("planted bugs round-trip", [&] { return check_round_trip(in); }));
  const auto small = sample_graphs(*in.train, in, 16, 1);
  if (small.empty()) {
    checks.push_back({"graphs can be built", false, "no training function gave a graph"});
    return checks;
  }
  checks.push_back(guarded_check("initial loss matches uniform predictions",
                                 [&] { return check_initial_loss(in, small); }));
  checks.push_back(
      guarded_check("every parameter gets a gradient", [&] { return check_gradients(in); }));
  checks.push_back(guarded_check("one batch overfits", [&] { return check_overfit(in, small); }));
  const auto& held = (in.valid != nullptr && !in.valid->empty()) ? *in.valid : *in.train;
  checks.push_back(guarded_check("true targets beat shuffled targets", [&] {
    return check_shuffled(in, sample_graphs(*in.train, in, 160, 2), sample_graphs(held, in, 64, 3));
  }));
  return checks;
}

std::string format_doctor(const std::vector<DoctorCheck>& checks) {
  std::string out;
  for (const auto& c : checks) {
    out += std::string("[doctor] ") + (c.passed ? "PASS " : "FAIL ") + c.name + ": " + c.detail + "\n";
  }
  return out;
}

DoctorCheck check_step_labels(const StepData& step, const StepBatch& batch, uint32_t max_nodes) {
  DoctorCheck check{"labels (the production step's targets)", false, ""};
  int bugs = 0, restored = 0, site_ok = 0, batch_ok = 0;
  std::string first_problem;
  auto note = [&](const std::string& problem) {
    if (first_problem.empty()) first_problem = problem;
  };
  for (size_t j = 0; j < step.jobs.size(); ++j) {
    const int g = batch.graph_of_job[j];
    if (g < 0) continue;
    ++bugs;
    const data::Sample& sample = step.buggy[j];
    const data::FunctionRecord& record = *step.records[step.jobs[j].function];
    const data::GraphFeatures& f = sample.features;
    // The featurized target, read the way the loss reads it, against the buggy code re-parsed.
    const parser::Language* language = parser::find_language(record.language);
    data::FunctionGraph buggy;
    if (language == nullptr || data::build_function_graph(sample.buggy_text, *language, max_nodes,
                                                           buggy) != data::GraphStatus::kOk) {
      note(record.name + ": the buggy code does not parse again");
      continue;
    }
    const auto cand = static_cast<size_t>(f.target_cand);
    if (f.target_cand < 0 || cand >= buggy.sites.rewrites.size()) {
      note(record.name + ": target candidate " + std::to_string(f.target_cand) + " of " +
           std::to_string(buggy.sites.rewrites.size()));
      continue;
    }
    const parser::Rewrite& repair = buggy.sites.rewrites[cand];
    if (parser::apply_edit(sample.buggy_text, repair.edit) == record.text) {
      ++restored;
    } else {
      note(record.name + ": the target's rewrite '" + repair.replacement +
           "' does not restore the clean code");
    }
    if (f.target_site == static_cast<int32_t>(repair.site) &&
        f.cand_site[cand] == f.target_site) {
      ++site_ok;
    } else {
      note(record.name + ": target site " + std::to_string(f.target_site) + ", the candidate's " +
           std::to_string(repair.site));
    }
    // The batch's copy of the label: the same target, offset to the graph's place.
    const data::Batch& b = batch.batch;
    const int32_t site_off = b.site_offsets[static_cast<size_t>(g)];
    const auto cand_off = static_cast<int32_t>(std::count_if(b.cand_site.begin(), b.cand_site.end(),
                                                  [&](int32_t site) { return site < site_off; }));
    if (b.target_site[static_cast<size_t>(g)] == f.target_site + site_off &&
        b.target_cand[static_cast<size_t>(g)] == f.target_cand + cand_off) {
      ++batch_ok;
    } else {
      note(record.name + ": the batch's target differs from the graph's");
    }
  }
  check.passed = bugs > 0 && restored == bugs && site_ok == bugs && batch_ok == bugs;
  check.detail = std::to_string(restored) + "/" + std::to_string(bugs) +
                 " planted bugs restored by the rewrite their featurized target names, " +
                 std::to_string(site_ok) + "/" + std::to_string(bugs) + " at the target's site, " +
                 std::to_string(batch_ok) + "/" + std::to_string(bugs) +
                 " with the same target in the batch";
  if (bugs == 0) check.detail += "; no bug was planted in the step";
  if (!first_problem.empty()) check.detail += "; first problem: " + first_problem;
  return check;
}

DoctorCheck check_step_inputs(const StepBatch& batch, const detector::DetectorConfig& config) {
  DoctorCheck check{"inputs (the production batch and its tensors)", false, ""};
  const data::Batch& b = batch.batch;
  const detector::BatchTensors t = detector::to_tensors(b, config, at::Device(at::kCPU), false);
  bool ok = b.num_graphs > 0;
  std::string lost, absent;
  int kinds_present = 0;
  for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
    int64_t in_graphs = 0;
    for (const data::GraphFeatures* g : batch.graphs) {
      in_graphs += static_cast<int64_t>(g->edge_src[static_cast<size_t>(k)].size());
    }
    const auto in_batch = static_cast<int64_t>(b.edge_src[static_cast<size_t>(k)].size());
    const auto kind_name = std::string(parser::edge_kind_name(static_cast<parser::EdgeKind>(k)));
    if (in_graphs == 0) {
      absent += (absent.empty() ? "" : ", ") + kind_name;
      continue;
    }
    ++kinds_present;
    for (int dir = 0; dir < 2; ++dir) {
      const size_t r = static_cast<size_t>(2 * k + dir);
      const int64_t in_tensors = t.rel_offset[r + 1] - t.rel_offset[r];
      if (in_batch != in_graphs || in_tensors != in_graphs) {
        ok = false;
        lost += (lost.empty() ? "" : "; ") + kind_name + (dir == 0 ? "" : " (reversed)") + ": " +
                std::to_string(in_graphs) + " in graphs, " + std::to_string(in_batch) +
                " in the batch, " + std::to_string(in_tensors) + " in the tensors";
      }
    }
  }
  const std::set<int32_t> types(b.node_types.begin(), b.node_types.end());
  std::set<int32_t> subtokens(b.subtokens.begin(), b.subtokens.end());
  subtokens.erase(data::kPadId);
  std::string constant;
  if (types.size() < 2) constant += "node types";
  if (subtokens.size() < 2) constant += std::string(constant.empty() ? "" : ", ") + "subtokens";
  ok = ok && constant.empty();
  check.passed = ok;
  check.detail = std::to_string(kinds_present) + " edge kinds in the step's " +
                 std::to_string(b.num_graphs) + " graphs, " +
                 (lost.empty() ? std::string("all reach the batch and both directions of the "
                                             "model's relations")
                               : "lost: " + lost) +
                 "; " + std::to_string(types.size()) + " node types, " +
                 std::to_string(subtokens.size()) + " subtokens" +
                 (constant.empty() ? "" : " (constant: " + constant + ")");
  if (!absent.empty()) check.detail += "; not in this sample: " + absent;
  return check;
}

DoctorCheck check_run_artefacts(const std::string& vocabulary, const std::string& manifest) {
  DoctorCheck check{"artefacts (--resume refuses another vocabulary or dataset)", false, ""};
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("bugseek-doctor-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto refuses = [&](const std::string& vocab, const std::string& man) {
    try {
      record_or_check_run_inputs(dir, true, vocab, man, "doctor", "doctor");
      return false;
    } catch (const UsageError&) {
      return true;
    }
  };
  try {
    record_or_check_run_inputs(dir, false, vocabulary, manifest, "doctor", "doctor");
    const bool recorded = fs::exists(dir / kInputsRecordName);
    const bool same = !refuses(vocabulary, manifest);
    const bool other_vocab = refuses(vocabulary + "x", manifest);
    const bool other_data = refuses(vocabulary, manifest + "x");
    check.passed = recorded && same && other_vocab && other_data;
    check.detail = std::string("inputs recorded: ") + (recorded ? "yes" : "NO") +
                   "; the same ones resume: " + (same ? "yes" : "NO") +
                   "; another vocabulary refused: " + (other_vocab ? "yes" : "NO") +
                   "; another dataset refused: " + (other_data ? "yes" : "NO");
  } catch (const std::exception& e) {
    check.detail = std::string("could not record the run's inputs: ") + e.what();
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return check;
}

}  // namespace bugseek::train
