/* Search worker wrapper: runs Material's own search worker, folds diacritics on both sides
   and turns each query, typed the way patients type, into a weighted lunr query before
   Material sees it.

   - Every indexed word is folded (å, ä -> a, ö -> o, é -> e) by a function added at the end
     of lunr's index pipeline, and every query word is folded here, so "hogkostnadsskydd"
     finds "högkostnadsskydd" without a second copy of each word in the index.
   - Questions typed as sentences: small words ("hur", "jag", "kan", "det", "på" …) are no
     topic. When other words remain they only count, weakly, in the question titles, where
     "vem" or "när" tells two otherwise alike questions apart; they neither drown the content
     words nor mark every "jag" in the snippets. (The index keeps them: mkdocs.yml sets an
     empty pipeline, so a query of small words only still finds something.)
   - Each content word is matched against the words of the index, which the wrapper reads once
     the index is built, with a weight per kind of match: the word itself; words it begins
     ("frikort" -> "frikortet"); its Swedish stems ("vårdcentralen" -> "vårdcentral", "hämtar"
     -> "hämta"); one slip for words of five letters or more ("recpet" -> "recept",
     "jornal" -> "journal"); a compound it ends ("sköterska" -> "sjuksköterska") or the known
     words a compound of its own is made of ("vårdcentralsbyte" -> "vårdcentral", "byta");
     and two words typed apart that the site writes as one ("bank id" -> "bankid").
     The query is sent as exact index words with integer boosts, so lunr scores and Material
     highlights every matched form.
   - Material multiplies each score by the share of query clauses a result matched; with
     many forms per word that share would favour words with many forms, so the wrapper
     replaces it by the share of the patient's content words a result matched.

   The URL of Material's worker comes as ?material=<file>, filled in by portal/theme/main.html,
   so a Material upgrade with a new file name needs no change here. */
"use strict";

/* Integer boosts (lunr reads boosts with parseInt). */
var WEIGHT = {
  exact: 100,   /* the word as typed (folded) */
  joined: 90,   /* two typed words the index has as one */
  prefix: 80,   /* an index word that begins with the typed word */
  stem: 75,     /* an index word that begins with a stem of the typed word */
  fuzzy: 50,    /* one slip away */
  slips: 40,    /* two slips away, in a long word that matches nothing closer */
  part: 40,     /* the typed word inside a compound, or a known part of a typed compound */
  synonym: 90,  /* per cent of a form's weight when it comes from a synonym of the typed word */
  question: 100, /* a question word ("vem", "när") or "inte", in titles and keywords only */
  small: 10     /* another small word, in titles and keywords only */
};

/* Swedish small words that carry no topic (Snowball's Swedish stop words and everyday filler),
   folded, so "pa" and "nar" typed without å/ä count as "på" and "när". */
var SMALL_WORDS = new Set((
  "och det att i en jag hon som han pa den med var sig for sa till ar men ett om hade de av " +
  "icke mig du henne da sin nu har inte hans honom skulle hennes dar min man ej vid kunde " +
  "nagot fran ut nar efter upp vi dem vara vad over an dig kan sina har ha mot alla under " +
  "nagon eller allt mycket sedan ju denna sjalv detta at utan varit hur ingen mitt ni bli " +
  "blev oss din dessa nagra deras blir mina samma vilken er sadan var blivit dess inom mellan " +
  "sadant varfor varje vilka ditt vem vilket sitta sadana vart dina vars vart vara ert era " +
  "vilkas fa far fick gor gora gjorde ska skall vill maste finns nat nan nagot hej tack " +
  "snalla typ bara ocksa iaf ens nagonting via genom hos ge istallet anda fortfarande redan kanske " +
  "verkligen liksom alltsa nan nat " +
  /* as typed in chats and dialect: mej/dej/sej, int (inte), va (vad), e (är), ba (bara), ngn, ngt */
  "mej dej sej int va e ba assa ngn ngt nagn " +
  /* English filler, in queries typed in English or half in English ("how to förnya recept") */
  "the is are do does can my how what where when who why to of for with me you a an and or " +
  "on at by it its this that there here we our your us be am was were have has had get got " +
  "need want would could should will much some any very so if please hi hello"
).split(" "));

/* Inflection and derivation endings, longest first; what remains is matched as a prefix. */
var SUFFIXES = [
  "arnas", "ernas", "ornas", "heten", "arna", "erna", "orna", "aren", "eren", "ande", "ende",
  "ades", "het", "ade", "ads", "ens", "ets", "ar", "er", "or", "en", "et", "na", "as", "es",
  "a", "e", "t", "s", "n"
];

/* Small words that ask what the patient wants to know: "vem" or "när" tells apart two
   questions that are otherwise alike ("Vem kan läsa min journal?", "Hur kan jag läsa …?"), and
   "inte" turns one around ("när ska man inte använda nätläkare" asks for "När ska jag inte söka
   vård digitalt?", not for how the service works). */
var QUESTION_WORDS = new Set(["vem", "nar", "varfor", "hur", "vad", "var", "vart", "vilken", "vilka", "vilket",
  "inte", "int", "ej"]);

/* English question words ask what the Swedish ones ask: "who can see my records" is "vem …",
   not "hur …". Folded, as the query is. */
var ENGLISH_QUESTION_WORDS = {
  who: "vem", when: "nar", why: "varfor", how: "hur", what: "vad", where: "var", which: "vilken"
};

function smallWeight(word) {
  return QUESTION_WORDS.has(word) ? WEIGHT.question : WEIGHT.small;
}

/* Small words count only where an editor wrote the question: the title and the hidden
   keywords, so they are never marked in answer snippets. */
var SMALL_WORD_FIELDS = ["title", "keywords"];

var TIE_BREAK = 0.1;
var PHRASE = 0.5;
/* How much more an answer counts when every typed word stands next to the next, in the typed
   order: the patient typed a whole question or keyword an editor wrote ("vad är capio go",
   "söka vård åt min mamma"), not only words that also stand in a title ("Vad kostar ett
   digitalt vårdbesök hos Capio Go?"). */
var WHOLE_PHRASE = 2;
var STEM_LENGTH = 4;     /* shorter stems match too much */
var FUZZY_LENGTH = 5;    /* one slip in a shorter word is often another word */
var LONG_WORD = 9;       /* two slips only from this length */
var PART_LENGTH = 4;     /* the shortest compound part matched on its own */

var vocabulary = null;   /* the folded words of the index */
var known = null;        /* Set of the same but for those only patients' questions use */
var ASKED_FIELD = "asked";
var current = null;      /* the plan of the query being searched: content words and their forms */

function fold(text) {
  return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
}

/* Edit distance with transpositions (optimal string alignment), stopping past `limit`. */
function distance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) { return limit + 1; }
  var before = null, previous = [], row, i, j;
  for (j = 0; j <= b.length; j++) { previous.push(j); }
  for (i = 1; i <= a.length; i++) {
    row = [i];
    var best = i;
    for (j = 1; j <= b.length; j++) {
      var value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, before[j - 2] + 1);
      }
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) { return limit + 1; }
    before = previous;
    previous = row;
  }
  return previous[b.length];
}

/* The word without its Swedish endings (and lunr's Snowball stem), each at least `min` long. */
function stems(word, min) {
  var found = [];
  SUFFIXES.forEach(function (suffix) {
    var stem = word.slice(0, -suffix.length);
    if (word.endsWith(suffix) && stem.length >= min && found.indexOf(stem) < 0) { found.push(stem); }
  });
  var snowball = self.lunr && self.lunr.sv && self.lunr.sv.stemmer;
  if (snowball) {
    var stem = fold(String(snowball(new self.lunr.Token(word))));
    if (stem.length >= min && stem !== word && found.indexOf(stem) < 0) { found.push(stem); }
  }
  return found;
}

/* Whether `term` is `stem` inflected: a stem of four letters or more may begin any word
   (compounds included); a shorter one ("läs" of "läser") only takes an ending ("läsa"). */
function inflects(stem, term) {
  if (!term.startsWith(stem)) { return false; }
  return stem.length >= STEM_LENGTH || term === stem || SUFFIXES.indexOf(term.slice(stem.length)) >= 0;
}

function keep(forms, term, weight, small) {
  if (SMALL_WORDS.has(term) && !small) { return; }  /* a content word never turns into a small word */
  if (!(forms[term] >= weight)) { forms[term] = weight; }
}

/* The index words a typed content word may mean, with their weights. A slip is only assumed
   when neither the word nor one of its stems is a word of the site: a correctly typed word is
   not turned into a different one. */
function formsOf(word, minStem) {
  var forms = Object.create(null);
  var small = SMALL_WORDS.has(word);
  var wordStems = stems(word, minStem);
  var slips = [];
  if (word.length >= FUZZY_LENGTH && !known.has(word) && !wordStems.some(function (stem) { return known.has(stem); })) {
    /* A slip is made in the word or in its stem before a regular ending, not in Snowball's
       shorter stem: "egentligen" (stem "egent") is no slip of "eget". */
    slips = [word].concat(wordStems.filter(function (stem) {
      return stem.length >= FUZZY_LENGTH && endingOf(stem, word);
    }));
  }
  vocabulary.forEach(function (term) {
    if (term === word) { keep(forms, term, WEIGHT.exact, small); return; }
    if (word.length >= 3 && term.startsWith(word)) { keep(forms, term, WEIGHT.prefix); return; }
    if (wordStems.some(function (stem) { return inflects(stem, term); })) { keep(forms, term, WEIGHT.stem); return; }
    if (slips.some(function (slip) {
      return distance(slip, term, 1) <= 1 ||
        (slip.length >= 6 && term.length > slip.length && distance(slip, term.slice(0, slip.length), 1) <= 1);
    })) { keep(forms, term, WEIGHT.fuzzy); return; }
    /* "sköterska" in "sjuksköterska", "kortet" in "högkostnadskortet": the word (or its stem)
       ends a compound, after a head of at least three letters. */
    if (word.length >= PART_LENGTH && term.length >= word.length + 3 && [word].concat(wordStems).some(function (part) {
      var at = term.indexOf(part, 3);
      return (part === word || part.length > PART_LENGTH) && at >= 3 && (at + part.length === term.length ||
        SUFFIXES.indexOf(term.slice(at + part.length)) >= 0 || term.slice(at + part.length) === word.slice(part.length));
    })) { keep(forms, term, WEIGHT.part); }
  });
  /* Two slips in a long word ("persunuppgifter") still leave it recognisable. */
  if (slips.length && word.length >= LONG_WORD && !Object.keys(forms).length) {
    vocabulary.forEach(function (term) {
      if (distance(word, term, 2) <= 2 || (term.length > word.length && distance(word, term.slice(0, word.length), 2) <= 2)) {
        keep(forms, term, WEIGHT.slips);
      }
    });
  }
  return forms;
}

function closeForms(forms) {
  return Object.keys(forms).some(function (term) { return forms[term] >= WEIGHT.stem; });
}

/* A typed compound the site does not use, split into two parts that each are (or inflect) a
   word of the site, with a linking s allowed: "vårdcentralsbyte" -> "vårdcentral" + "byte"
   (-> "byta"). The longest such head wins; both parts count, as parts. */
function partsOf(word) {
  var forms = Object.create(null);
  if (word.length < 2 * PART_LENGTH) { return forms; }
  for (var cut = word.length - PART_LENGTH; cut >= PART_LENGTH; cut--) {
    var head = word.slice(0, cut), tail = word.slice(cut);
    /* A linking s ("vårdcentrals-"), or a dropped final vowel ("läkar-" of "läkare"). */
    var whole = [head, head.slice(0, -1), head + "e", head + "a", head + "o"].filter(function (candidate) {
      return candidate.length >= PART_LENGTH && known.has(candidate) &&
        (candidate === head || candidate.length > head.length || head.endsWith("s"));
    })[0];
    if (!whole) { continue; }
    head = whole;
    var tailForms = formsOf(tail, 3);
    if (!closeForms(tailForms)) { continue; }
    [formsOf(head, STEM_LENGTH), tailForms].forEach(function (partForms) {
      Object.keys(partForms).forEach(function (term) {
        keep(forms, term, Math.round(partForms[term] * WEIGHT.part / WEIGHT.exact));
      });
    });
    break;
  }
  return forms;
}

/* The synonym groups of content/synonymer.yml, folded, one-word entries only. The build adds
   them to the hidden keywords of every answer that uses one word of a group; applied to the
   query as well, "hälsocentralen" also finds the title "När har vårdcentralerna öppet …?".
   Read once, synchronously (allowed in a worker), from the file the help panel uses. */
var synonymGroups = null;

function loadSynonyms() {
  if (synonymGroups) { return synonymGroups; }
  synonymGroups = [];
  try {
    var request = new XMLHttpRequest();
    request.open("GET", new URL("../../../search/portal-hjalp.json", self.location.href).href, false);
    request.send();
    if (request.status === 200) {
      synonymGroups = (JSON.parse(request.responseText).synonyms || []).map(function (group) {
        return group.map(fold).filter(function (word) { return /^[\p{L}\p{N}]+$/u.test(word); });
      });
    }
  } catch (error) { /* search works without them, as before */ }
  return synonymGroups;
}

/* Whether `term` is `word` with an ending only ("mediciner" of "medicin", not "medicinsk"). */
function endingOf(word, term) {
  return term === word || (term.startsWith(word) && SUFFIXES.indexOf(term.slice(word.length)) >= 0);
}

/* The other words of every group the typed word belongs to, as itself or inflected
   ("hälsocentralen"); a compound of a group word ("vårdcentralsbyte") is not a synonym. */
function synonymsOf(word) {
  var found = [];
  loadSynonyms().forEach(function (group) {
    if (group.some(function (member) { return endingOf(member, word); })) {
      group.forEach(function (member) {
        if (!endingOf(member, word) && found.indexOf(member) < 0) { found.push(member); }
      });
    }
  });
  return found;
}

function plan(query) {
  var words = fold(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(function (word) {
    return ENGLISH_QUESTION_WORDS[word] || word;
  });
  var content = words.filter(function (word) { return !SMALL_WORDS.has(word); });
  var small = content.length ? words.filter(function (word) { return SMALL_WORDS.has(word); }) : [];
  if (!content.length) { content = words; }
  var planned = content.map(function (word) {
    var forms = formsOf(word, word.length >= 5 ? 3 : STEM_LENGTH);
    synonymsOf(word).forEach(function (synonym) {
      vocabulary.forEach(function (term) {
        if (endingOf(synonym, term)) { keep(forms, term, Math.round((term === synonym ? WEIGHT.exact : WEIGHT.stem) * WEIGHT.synonym / 100)); }
      });
    });
    if (!Object.keys(forms).some(function (term) { return forms[term] >= WEIGHT.fuzzy; })) {
      var parts = partsOf(word);
      Object.keys(parts).forEach(function (term) { keep(forms, term, parts[term]); });
    }
    return { word: word, forms: forms };
  });
  /* Two typed words the site writes as one: "bank id", "hälso central", "1 450". */
  for (var i = 0; i + 1 < content.length; i++) {
    var joined = content[i] + content[i + 1];
    var joinedForms = joined.length >= 6 ? formsOf(joined, STEM_LENGTH) : {};
    vocabulary.forEach(function (term) {
      if (term === joined || joinedForms[term] >= WEIGHT.stem) {
        keep(planned[i].forms, term, WEIGHT.joined);
        keep(planned[i + 1].forms, term, WEIGHT.joined);
      }
    });
  }
  /* The typed order, small words included, for phrases ("lista mig", "kan inte logga in"). */
  var sequence = [];
  words.forEach(function (word) {
    var content = planned.filter(function (item) { return item.word === word; })[0];
    if (content) { sequence.push(content.forms); } else if (known.has(word)) {
      var forms = Object.create(null);
      forms[word] = smallWeight(word);
      sequence.push(forms);
    }
  });
  return { words: planned, small: small.filter(function (word) { return known.has(word); }), sequence: sequence };
}

function queryString(planned) {
  var boosts = Object.create(null);
  planned.words.forEach(function (word) {
    Object.keys(word.forms).forEach(function (term) {
      boosts[term] = Math.max(boosts[term] || 0, word.forms[term]);
    });
  });
  var clauses = Object.keys(boosts).map(function (term) { return term + "^" + boosts[term]; });
  planned.small.forEach(function (word) { clauses.push(word + "^" + smallWeight(word)); });
  return clauses.join(" ");
}

function widen(query) {
  current = null;
  if (!vocabulary) { return query; }
  var planned = plan(query);
  var widened = queryString(planned);
  if (!widened) { return query; }  /* nothing the index knows: Material finds nothing either */
  current = planned;
  return widened;
}

/* The factor Material will multiply a result's score by (integrations/search/_/index.ts):
   1 + (1 + share of the query's clauses whose term begins a matched word)², the first 1 only
   for whole pages. */
function materialFactor(query, ref, matched) {
  var parsed = new self.lunr.Query(["title", "text", "tags"]);
  new self.lunr.QueryParser(query, parsed).parse();
  var clauses = parsed.clauses.filter(function (clause) {
    return clause.presence !== self.lunr.Query.presence.PROHIBITED;
  }).map(function (clause) { return clause.term.replace(/^\*/, "").replace(/\*$/, ""); });
  var terms = Object.create(null);
  var open = clauses.slice();
  matched.forEach(function (term) {
    open = open.filter(function (clause) {
      if (!term.startsWith(clause)) { return true; }
      terms[clause] = true;
      return false;
    });
  });
  open.forEach(function (clause) {
    if (self.lunr.stopWordFilter && self.lunr.stopWordFilter(clause)) { terms[clause] = terms[clause] || false; }
  });
  var keys = Object.keys(terms);
  var share = keys.length ? keys.filter(function (key) { return terms[key]; }).length / keys.length : 0;
  var boost = (ref.indexOf("#") < 0 ? 1 : 0) + share;
  return 1 + boost * boost;
}

/* The weight of `term` in one field of a document, as lunr computed it at build time
   (BM25 with the field's boost), or 0. */
function fieldValue(index, field, ref, term) {
  var vector = index.fieldVectors[field + "/" + ref];
  var posting = index.invertedIndex[term];
  if (!vector || !posting) { return 0; }
  var elements = vector.elements;
  for (var i = 0; i < elements.length; i += 2) {
    if (elements[i] === posting._index) { return elements[i + 1]; }
  }
  return 0;
}

/* How much a field's length weakens a word in it (BM25's b): lunr uses 0.75 for every field.
   Keywords, synonyms and the questions patients ask (asked) are lists of alternatives, not
   prose: an entry given more of them should not have each one count for less, or the
   best-described answers would lose to the sparsely described ones on their own words. */
var LENGTH_NORMALISATION = { keywords: 0.2, synonyms: 0.2, asked: 0.2 };

/* What the word counts in its other fields, beside its strongest one (all of it: a word in the
   title, the keywords and the text is the answer's subject; 0.25 was measured as no better). */
var OTHER_FIELDS = 1;
/* How much more a rare typed word decides than a common one: its idf to this power. With the
   plain idf, a word in many answers' titles ("barn") outweighed the one word only the right
   answer has ("barnet har utslag", "söka vård från thailand"); 2 lost more than it won. */
var RARITY_POWER = 1.75;

/* How strongly `term` stands in each of the document's `fields`: BM25 as lunr computes it (k1
   1.2, b per field as above) with each field's boost, without the idf of the term itself (rarity
   is judged per typed word instead). */
function fieldStrengths(index, ref, term, fields) {
  var stats = index.portalStats;
  var strengths = {};
  fields.forEach(function (field) {
    if (!stats) {
      strengths[field] = fieldValue(index, field, ref, term) / self.lunr.idf(index.invertedIndex[term], documentCount(index));
      return;
    }
    var fieldRef = field + "/" + ref;
    var tf = (stats.frequencies[fieldRef] || {})[term];
    if (!tf) { return; }
    var b = field in LENGTH_NORMALISATION ? LENGTH_NORMALISATION[field] : stats.b;
    var norm = 1 - b + b * (stats.lengths[fieldRef] || 0) / (stats.averages[field] || 1);
    strengths[field] = stats.boosts[field] * (stats.k1 + 1) * tf / (stats.k1 * norm + tf);
  });
  return strengths;
}

/* The fields' strengths as one: the strongest field, and the others as OTHER_FIELDS says. */
function combined(strengths) {
  var best = 0, sum = 0;
  Object.keys(strengths).forEach(function (field) {
    best = Math.max(best, strengths[field]);
    sum += strengths[field];
  });
  return best + OTHER_FIELDS * (sum - best);
}

function termStrength(index, ref, term, fields) {
  return combined(fieldStrengths(index, ref, term, fields));
}

function documentCount(index) {
  if (!index.portalDocumentCount) {
    var refs = new Set(Object.keys(index.fieldVectors).map(function (key) { return key.slice(key.indexOf("/") + 1); }));
    index.portalDocumentCount = refs.size;
  }
  return index.portalDocumentCount;
}

/* How telling a typed word is: the rarer the answers that have a close form of it, the more it
   decides. Rarity of the typed word, not of each form: "läkemedel" is as telling in an answer
   that says "läkemedelsförsäkring" as in one that says "läkemedel". */
function wordRarity(index, word) {
  var close = Object.keys(word.forms).filter(function (term) { return word.forms[term] >= WEIGHT.stem; });
  var terms = close.length ? close : Object.keys(word.forms);
  var refs = new Set();
  terms.forEach(function (term) {
    var posting = index.invertedIndex[term] || {};
    index.fields.forEach(function (field) { Object.keys(posting[field] || {}).forEach(function (ref) { refs.add(ref); }); });
  });
  var count = documentCount(index);
  return Math.pow(Math.log(1 + Math.abs((count - refs.size + 0.5) / (refs.size + 0.5))), RARITY_POWER);
}

/* The score the portal wants: for each content word only its best form in each field counts
   (lunr adds up every form, so a word with many inflected forms in one answer would outweigh a
   more telling word), weighted by the kind of match and the rarity of the typed word; times the
   share of the patient's content words the result matched (by rarity and kind of match).
   Small words add a little, in titles only. */
function portalScore(index, ref, metadata) {
  var matched = Object.keys(metadata);
  var score = 0, share = 0, total = 0;
  current.words.forEach(function (word) {
    if (word.rarity === undefined) { word.rarity = wordRarity(index, word); }
    /* Per field, the word's best form there: an answer that asks "Hur listar jag mig" and
       lists "lista mig" as a keyword has the word in both, though in two forms. */
    var perField = {}, sum = 0, kind = 0;
    matched.forEach(function (term) {
      var weight = word.forms[term];
      if (!weight) { return; }
      var strengths = fieldStrengths(index, ref, term, index.fields);
      Object.keys(strengths).forEach(function (field) {
        var value = weight / WEIGHT.exact * strengths[field];
        perField[field] = Math.max(perField[field] || 0, value);
        sum += value;
      });
      kind = Math.max(kind, weight / WEIGHT.exact);
    });
    var best = combined(perField);
    /* More forms of the word in one field only break ties. */
    score += word.rarity * (best + TIE_BREAK * (sum - best));
    share += word.rarity * kind;
    total += word.rarity;
  });
  current.small.forEach(function (word) {
    if (matched.indexOf(word) >= 0) {
      score += smallWeight(word) / WEIGHT.exact * self.lunr.idf(index.invertedIndex[word], documentCount(index)) *
        termStrength(index, ref, word, SMALL_WORD_FIELDS);
    }
  });
  var boost = (ref.indexOf("#") < 0 ? 1 : 0) + (total ? share / total : 0);
  var phrase = phraseShare(metadata);
  return score * (1 + boost * boost) * (1 + PHRASE * phrase) * (phrase === 1 ? WHOLE_PHRASE : 1);
}

/* The share of neighbouring typed words that stand next to each other, in the typed order, in
   one field of the answer: an editor's phrase ("lista mig") or a title read back
   ("kan jag få recept") is a better match than the same words scattered. */
function phraseShare(metadata) {
  var pairs = 0, found = 0;
  for (var i = 0; i + 1 < current.sequence.length; i++) {
    pairs++;
    var before = positions(metadata, current.sequence[i]), after = positions(metadata, current.sequence[i + 1]);
    if (Object.keys(before).some(function (field) {
      return after[field] && before[field].some(function (position) { return after[field].indexOf(position + 1) >= 0; });
    })) { found++; }
  }
  return pairs ? found / pairs : 0;
}

/* Where a typed word's forms stand in each field of the answer (Material's token positions:
   block and index, so neighbours differ by one). */
function positions(metadata, forms) {
  var found = {};
  Object.keys(forms).forEach(function (term) {
    Object.keys(metadata[term] || {}).forEach(function (field) {
      found[field] = (found[field] || []).concat(metadata[term][field].position || []);
    });
  });
  return found;
}

function setUpIndex(lunr) {
  lunr.Pipeline.registerFunction(foldToken, "portalFold");
  var add = lunr.Builder.prototype.add;
  lunr.Builder.prototype.add = function (doc, attributes) {
    if (!this.portalFolding) {
      this.portalFolding = true;
      this.pipeline.add(foldToken);
      this.searchPipeline.add(foldToken);
    }
    return add.call(this, doc, attributes);
  };
  var build = lunr.Builder.prototype.build;
  lunr.Builder.prototype.build = function () {
    var index = build.call(this);
    var builder = this, boosts = {};
    Object.keys(this._fields).forEach(function (field) { boosts[field] = builder._fields[field].boost || 1; });
    /* What lunr counted while building, kept so that termStrength can weigh fields its own way. */
    index.portalStats = {
      frequencies: this.fieldTermFrequencies, lengths: this.fieldLengths, averages: this.averageFieldLength,
      boosts: boosts, k1: this._k1, b: this._b
    };
    vocabulary = Object.keys(index.invertedIndex);
    /* Patients' questions are written as patients type, slips included: a slip there ("recpet")
       must not make the typed slip a word of the site, or it would find that one answer only. */
    known = new Set(vocabulary.filter(function (term) {
      return Object.keys(index.invertedIndex[term]).some(function (field) {
        return field !== ASKED_FIELD && field !== "_index" && Object.keys(index.invertedIndex[term][field]).length;
      });
    }));
    return index;
  };
  var search = lunr.Index.prototype.search;
  lunr.Index.prototype.search = function (query) {
    var index = this;
    var results = search.call(this, query);
    if (!current) { return results; }
    results = results.filter(function (result) {
      var metadata = result.matchData.metadata;
      var matched = Object.keys(metadata);
      /* An answer that has only the small words of the question does not answer it. */
      if (!current.words.some(function (word) {
        return matched.some(function (term) { return word.forms[term]; });
      })) { return false; }
      result.score = portalScore(index, result.ref, metadata) / materialFactor(query, result.ref, matched);
      /* Small words are not marked in the answer's text. */
      current.small.forEach(function (word) {
        if (metadata[word]) { delete metadata[word].text; }
        if (metadata[word] && !Object.keys(metadata[word]).length) { delete metadata[word]; }
      });
      return true;
    });
    results.sort(function (a, b) { return b.score - a.score; });
    return results;
  };
}

function foldToken(token) {
  return token.update(function (text) { return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, ""); });
}

var addListener = self.addEventListener.bind(self);
self.addEventListener = function (type, listener, options) {
  if (type !== "message") { return addListener(type, listener, options); }
  return addListener("message", function (event) {
    var message = event.data;
    if (message && typeof message.data === "string") {
      var widened = { type: message.type, data: widen(message.data) };
      return listener(new MessageEvent("message", { data: widened }));
    }
    return listener(event);
  }, options);
};

importScripts(new URLSearchParams(self.location.search).get("material"));
setUpIndex(self.lunr);
