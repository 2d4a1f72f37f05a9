// Every state-space mixer, one include each: the headers that specialise MixerOf (mixer.h) for the
// state-space rows of kArchitectures (architecture.h).  ssm.h builds the block from them.
#pragma once

#include "models/cdssm.h"          // cdssm
#include "models/delta_product.h"  // deltanet, gated-deltanet, deltaproduct
#include "models/ids4.h"           // ids4
#include "models/mamba.h"          // mamba
#include "models/mlstm.h"          // mlstm
#include "models/s4d.h"            // s4d
#include "models/slstm.h"          // slstm
