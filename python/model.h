// statelab.Model on the C++ side: a checkpoint loaded (or a run's result) with the recognizer or
// tagger of its head, shared by the files that take a Model where a callable also goes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "bridge/recognizer.h"
#include "models/heads.h"

namespace statelab::python {

// A statelab model, loaded from a checkpoint or just trained.
struct Model {
  bridge::LoadedModel loaded;
  std::shared_ptr<const bridge::Recognizer> recognizer;  // recognize head
  std::shared_ptr<const bridge::Tagger> tagger;          // tag and next-set heads

  explicit Model(bridge::LoadedModel m) : loaded(std::move(m)) {
    const models::Head head = loaded.config.head;
    if (head == models::Head::recognize) {
      recognizer = bridge::model_recognizer(loaded);
    } else if (head == models::Head::tag || head == models::Head::next_set) {
      std::vector<std::string> outputs;
      if (head == models::Head::next_set) {
        outputs = loaded.alphabet.names();
        outputs.emplace_back("<end>");
      } else {
        for (int i = 0; i < loaded.config.num_outputs; ++i) outputs.push_back(std::to_string(i));
      }
      tagger = bridge::model_tagger(loaded, nullptr, outputs);
    }
  }
  const bridge::Recognizer& require_recognizer(const char* what) const {
    if (!recognizer)
      throw InvalidArgument(std::string(what) + ": the model has a " + models::head_name(loaded.config.head) +
                            " head; scores need a recognize head (use tags)");
    return *recognizer;
  }
};

}  // namespace statelab::python
