//! `allOf`, and merging: several schemas made into one synthetic schema,
//! which is then lowered like any other. An `allOf` merges its parts (a
//! property is required when any part requires it); a union without a tag,
//! or a request body's union, merges its variants (a property is required
//! when every variant requires it).
//!
//! Merging inlines what `$ref`s name, so it is guarded against cycles: a
//! `$ref` to a component being lowered, or to one this merge is inlining
//! already (the merge path), is kept as a reference, and an `allOf` or a
//! union that reaches a component on the merge path again is not merged
//! into an object. Each component appears at most once on a path, so a
//! merge goes no deeper than the components it reaches; past
//! [`MAX_MERGE_DEPTH`] (inline schemas nested that deep) the rest is cut off
//! as any JSON.

use indexmap::IndexMap;
use openapiv3::{
    ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, StringType, Type,
    VariantOrUnknownOrEmpty,
};

use super::references::component_name;
use super::shapes::{
    adds_only_null, annotation_only, composed, description_of, object_parts, shape, typed, Shape,
};
use super::Hint;
use crate::diagnostics::Pointer;
use crate::ir::lower::Lowerer;
use crate::ir::TypeRef;

/// How several variants combine into one schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MergeMode {
    /// `oneOf`: a property is required only when every variant requires it.
    AnyOf,
    /// `allOf`: a property is required when any part requires it.
    All,
}

/// How deep merging may follow `$ref`s before a recursive schema is cut off
/// (typed as `serde_json::Value` there).
const MAX_MERGE_DEPTH: usize = 24;

/// How many merge steps (schemas merged or made object-like) one component
/// or operation may take. Cycles are cut by the merge path, but a schema
/// whose parts name the same components many times over still inlines them
/// once per mention, which grows exponentially with the nesting; past this
/// budget the rest is cut off as any JSON, with a warning. Seam's largest
/// component takes 362 steps, the largest of the 1,999 corpus specs 635.
pub(in crate::ir) const MERGE_BUDGET: usize = 100_000;

/// Holds one level of merge depth; dropping it gives the level back.
struct DepthGuard<'c>(&'c std::cell::Cell<usize>);

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

/// Holds one component on the merge path; dropping it takes it off.
struct PathGuard<'c>(&'c std::cell::RefCell<Vec<String>>);

impl Drop for PathGuard<'_> {
    fn drop(&mut self) {
        self.0.borrow_mut().pop();
    }
}

impl Lowerer<'_> {
    /// Runs `lower` (the lowering of one component or operation, at `ptr`)
    /// with a fresh [`MERGE_BUDGET`] and no merged copies around it, and
    /// warns when it ran out. The budget and copies of an enclosing lowering
    /// (an operation whose body names a component met the first time) go on
    /// afterwards where they were.
    pub(in crate::ir) fn with_merge_budget<T>(
        &mut self,
        ptr: &Pointer,
        lower: impl FnOnce(&mut Self) -> T,
    ) -> T {
        // A component met while lowering another one (through a `$ref`) is
        // lowered on its own: the copies around the `$ref` are not around it.
        let outer = self.merge_steps.replace(0);
        let outer_inlined = self.inlined.take();
        let outer_path = self.merge_path.take();
        let lowered = lower(self);
        *self.inlined.borrow_mut() = outer_inlined;
        *self.merge_path.borrow_mut() = outer_path;
        if self.merge_steps.get() > MERGE_BUDGET {
            self.diags.warning(
                ptr,
                format!(
                    "merging the `allOf`, `oneOf` and `anyOf` parts here takes more than \
                     {MERGE_BUDGET} steps (components inlined into each other over and \
                     over); what was left unmerged is typed as `serde_json::Value`"
                ),
            );
        }
        self.merge_steps.set(outer);
        lowered
    }

    /// Lowers `merged`, a schema made by inlining what `parts` name, with
    /// the components they name marked as inlined. A `$ref` back to one of
    /// them inside `merged` (a property `oneOf: [$ref: User, ...]` in
    /// `User`'s own copy) would make one more copy per property, nesting
    /// exponentially; a component inside two copies of itself is a cycle
    /// ([`Self::inlined_twice`]) and stays a reference. Two copies are
    /// allowed: a schema extending `Base` may well have a property that
    /// extends `Base` too.
    pub(super) fn lower_inlined<'r>(
        &mut self,
        parts: impl Iterator<Item = &'r ReferenceOr<Schema>>,
        merged: &Schema,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        let before = self.inlined.borrow().len();
        self.inlined
            .borrow_mut()
            .extend(parts.filter_map(|part| match part {
                ReferenceOr::Reference { reference } => component_name(reference),
                ReferenceOr::Item(_) => None,
            }));
        let ty = self.schema(merged, ptr, hint, request);
        self.inlined.borrow_mut().truncate(before);
        ty
    }

    /// Whether two merged copies of the component `name` are being lowered
    /// around this point: see [`Self::lower_inlined`].
    pub(super) fn inlined_twice(&self, name: &str) -> bool {
        self.inlined.borrow().iter().filter(|n| *n == name).count() >= 2
    }

    /// Puts the component that `reference` names on the merge path while
    /// the guard lives. `Err` when it is there already, or is being lowered:
    /// a cycle. `Ok(None)`
    /// for a reference that names no component (nothing to inline).
    fn enter(&self, reference: &str) -> Result<Option<PathGuard<'_>>, ()> {
        let Some(name) = component_name(reference) else {
            return Ok(None);
        };
        let mut path = self.merge_path.borrow_mut();
        if path.contains(&name) || self.in_progress.contains(&name) || self.inlined_twice(&name) {
            return Err(());
        }
        path.push(name);
        Ok(Some(PathGuard(&self.merge_path)))
    }

    /// The first of these `$ref`s that names a component being lowered or
    /// on the merge path: merging it would inline it into itself.
    fn cyclic_reference<'r>(
        &self,
        mut props: impl Iterator<Item = &'r ReferenceOr<Box<Schema>>>,
    ) -> Option<String> {
        let path = self.merge_path.borrow();
        props.find_map(|p| match p {
            ReferenceOr::Reference { reference } => component_name(reference)
                .filter(|name| self.in_progress.contains(name) || path.contains(name))
                .map(|_| reference.clone()),
            ReferenceOr::Item(_) => None,
        })
    }

    /// One level deeper into a merge, or `None` past [`MAX_MERGE_DEPTH`] or
    /// past the [`MERGE_BUDGET`] of the component or operation being lowered.
    fn deeper(&self) -> Option<DepthGuard<'_>> {
        let depth = self.merge_depth.get();
        if depth >= MAX_MERGE_DEPTH {
            return None;
        }
        let steps = self.merge_steps.get() + 1;
        self.merge_steps.set(steps);
        if steps > MERGE_BUDGET {
            return None;
        }
        self.merge_depth.set(depth + 1);
        Some(DepthGuard(&self.merge_depth))
    }

    /// An `allOf`: the one part that has a shape when the others only
    /// document it (`allOf: [$ref, {description: ...}]`, everywhere in AWS's
    /// specs) or make it nullable; else one struct merging object parts.
    /// `None` when the parts are not all objects.
    pub(super) fn all_of(
        &mut self,
        schema: &Schema,
        parts: &[ReferenceOr<Schema>],
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> Option<TypeRef> {
        let shaped: Vec<(usize, &ReferenceOr<Schema>)> = parts
            .iter()
            .enumerate()
            .filter(|(_, p)| !self.resolve_unboxed(p).is_some_and(adds_only_null))
            .collect();
        match shaped.as_slice() {
            [] => return Some(TypeRef::Json),
            [(i, only)] => {
                let only_ptr = ptr.push("allOf").push(i.to_string());
                return Some(match only {
                    ReferenceOr::Reference { reference } => self.reference(reference, &only_ptr),
                    ReferenceOr::Item(item) => {
                        // The documentation of the whole, if the part has none.
                        let mut item = item.clone();
                        if item.schema_data.description.is_none() {
                            item.schema_data.description =
                                description_of(schema).map(str::to_owned);
                        }
                        self.schema(&item, &only_ptr, hint, request)
                    }
                });
            }
            _ => {}
        }
        let cycle = parts.iter().find_map(|p| match p {
            ReferenceOr::Reference { reference } => component_name(reference)
                .filter(|name| self.in_progress.contains(name) || self.inlined_twice(name))
                .map(|_| reference.as_str()),
            ReferenceOr::Item(_) => None,
        });
        if let Some(reference) = cycle {
            self.diags.warning(
                ptr,
                format!(
                    "this `allOf` extends {reference} from inside it (a cycle through its \
                     properties); typed as `serde_json::Value`"
                ),
            );
            return Some(TypeRef::Json);
        }
        let merged = self.object_like(schema)?;
        Some(self.lower_inlined(parts.iter(), &merged, ptr, hint, request))
    }

    /// The schema as one object schema: itself when it is an object, the
    /// merge of its parts for `allOf`, `oneOf` and `anyOf` of objects.
    pub(in crate::ir) fn object_like(&self, schema: &Schema) -> Option<Schema> {
        let _depth = self.deeper()?;
        if let Some(object) = composed(schema).and_then(|c| self.object_like(&c)) {
            return Some(object);
        }
        let (parts, mode) = match &schema.schema_kind {
            _ if shape(schema) == Shape::Object => return Some(schema.clone()),
            SchemaKind::AllOf { all_of } => (all_of, MergeMode::All),
            SchemaKind::OneOf { one_of } => (one_of, MergeMode::AnyOf),
            SchemaKind::AnyOf { any_of } => (any_of, MergeMode::AnyOf),
            _ => return None,
        };
        let mut objects: Vec<Schema> = Vec::with_capacity(parts.len());
        for part in parts {
            let Some(resolved) = self.resolve_unboxed(part) else {
                continue;
            };
            // A part that only annotates (a description) constrains nothing.
            if mode == MergeMode::All && annotation_only(resolved) {
                continue;
            }
            // A part that is a component this merge is inlining already is
            // a cycle: no object can be made of it.
            let _entered = match part {
                ReferenceOr::Reference { reference } => self.enter(reference).ok()?,
                ReferenceOr::Item(_) => None,
            };
            objects.push(self.object_like(resolved)?);
        }
        let parts: Vec<&Schema> = objects.iter().collect();
        Some(self.merge(&parts, mode, &schema.schema_data))
    }

    /// One schema with everything the given object (or scalar) schemas allow.
    pub(super) fn merge(&self, schemas: &[&Schema], mode: MergeMode, data: &SchemaData) -> Schema {
        // Merging follows `$ref`s; recursive schemas would never end.
        let Some(_depth) = self.deeper() else {
            return Schema {
                schema_data: data.clone(),
                schema_kind: SchemaKind::Any(Default::default()),
            };
        };
        if let Some(flattened) = self.flattened(schemas) {
            let refs: Vec<&Schema> = flattened.iter().collect();
            return self.merge(&refs, mode, data);
        }
        // A schema that says nothing (`{}` or `{nullable: true}`, as a pending
        // action attempt's `result`) adds no shape, only its nullability.
        let says_nothing =
            |s: &&Schema| matches!(&s.schema_kind, SchemaKind::Any(a) if *a == Default::default());
        let any_nullable = schemas
            .iter()
            .any(|s| s.schema_data.nullable || says_nothing(s));
        let shaped: Vec<&Schema> = schemas
            .iter()
            .copied()
            .filter(|s| !says_nothing(s))
            .collect();
        if !shaped.is_empty() && shaped.len() < schemas.len() {
            let mut merged = self.merge(&shaped, mode, data);
            merged.schema_data.nullable |= any_nullable;
            return merged;
        }
        Schema {
            schema_data: merged_data(schemas, data),
            schema_kind: self.merged_kind(schemas, mode),
        }
    }

    /// The schemas as they take part in a merge: unions and intersections
    /// of objects as the object they make, untyped schemas as the type they
    /// mean. `None` when that changes none of them.
    fn flattened(&self, schemas: &[&Schema]) -> Option<Vec<Schema>> {
        let mut changed = false;
        let flattened: Vec<Schema> = schemas
            .iter()
            .map(|s| match (shape(s), &s.schema_kind) {
                (
                    Shape::Other,
                    SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::AllOf { .. },
                ) => match self.object_like(s) {
                    Some(object) => {
                        changed = true;
                        object
                    }
                    None => (*s).clone(),
                },
                (_, SchemaKind::Any(_)) => match typed(s) {
                    Some(typed) => {
                        changed = true;
                        typed
                    }
                    None => (*s).clone(),
                },
                _ => (*s).clone(),
            })
            .collect();
        changed.then_some(flattened)
    }

    /// The kind of a merge of schemas of one shape: their properties, their
    /// values or their items merged. Schemas of different shapes merge into
    /// any JSON.
    fn merged_kind(&self, schemas: &[&Schema], mode: MergeMode) -> SchemaKind {
        let shapes: Vec<Shape> = schemas.iter().map(|s| shape(s)).collect();
        if !shapes.windows(2).all(|w| w[0] == w[1]) {
            return SchemaKind::Any(Default::default());
        }
        match shapes.first() {
            Some(Shape::Object) => self.merge_objects(schemas, mode),
            Some(Shape::String) => merge_strings(schemas),
            Some(Shape::Array) => self.merge_arrays(schemas, mode),
            Some(Shape::Integer) => merge_integers(schemas),
            Some(Shape::Number | Shape::Boolean) => schemas[0].schema_kind.clone(),
            _ => SchemaKind::Any(Default::default()),
        }
    }

    /// Object schemas merged: every property of every part, each merged
    /// from the parts that have it, required as `mode` says.
    fn merge_objects(&self, schemas: &[&Schema], mode: MergeMode) -> SchemaKind {
        let mut properties: IndexMap<String, Vec<&ReferenceOr<Box<Schema>>>> = IndexMap::new();
        let mut required_sets = Vec::new();
        for s in schemas {
            let (props, required) = object_parts(s).expect("object shape");
            for (name, prop) in props {
                properties.entry(name.clone()).or_default().push(prop);
            }
            required_sets.push(required);
        }
        let required: Vec<String> = properties
            .keys()
            .filter(|name| match mode {
                MergeMode::All => required_sets.iter().any(|r| r.contains(name)),
                MergeMode::AnyOf => required_sets.iter().all(|r| r.contains(name)),
            })
            .cloned()
            .collect();
        let properties = properties
            .into_iter()
            .map(|(name, props)| (name, self.merge_property(&props, mode)))
            .collect();
        SchemaKind::Type(Type::Object(openapiv3::ObjectType {
            properties,
            required,
            ..Default::default()
        }))
    }

    /// Array schemas merged: their items merged, when every part has items.
    fn merge_arrays(&self, schemas: &[&Schema], mode: MergeMode) -> SchemaKind {
        let items: Vec<&ReferenceOr<Box<Schema>>> = schemas
            .iter()
            .filter_map(|s| match &s.schema_kind {
                SchemaKind::Type(Type::Array(a)) => a.items.as_ref(),
                _ => None,
            })
            .collect();
        let items = (items.len() == schemas.len()).then(|| self.merge_property(&items, mode));
        SchemaKind::Type(Type::Array(openapiv3::ArrayType {
            items,
            min_items: None,
            max_items: None,
            unique_items: false,
        }))
    }

    /// One property schema from the same property in several variants: the
    /// `$ref` when they all name the same one, else a merge.
    fn merge_property(
        &self,
        props: &[&ReferenceOr<Box<Schema>>],
        mode: MergeMode,
    ) -> ReferenceOr<Box<Schema>> {
        if let ReferenceOr::Reference { reference } = props[0] {
            if props
                .iter()
                .all(|p| matches!(p, ReferenceOr::Reference { reference: r } if r == reference))
            {
                return props[0].clone();
            }
        }
        if props.len() == 1 {
            return props[0].clone();
        }
        if let Some(reference) = self.cyclic_reference(props.iter().copied()) {
            return ReferenceOr::Reference { reference };
        }
        let resolved: Option<Vec<&Schema>> = props.iter().map(|p| self.resolve(p)).collect();
        // The components merged here are on the merge path while it runs
        // (none is yet: `cyclic_reference` said so).
        let _entered: Vec<PathGuard<'_>> = props
            .iter()
            .filter_map(|p| match p {
                ReferenceOr::Reference { reference } => self.enter(reference).ok().flatten(),
                ReferenceOr::Item(_) => None,
            })
            .collect();
        match resolved {
            Some(resolved) => {
                // A description is kept only when every variant agrees on it:
                // the first variant's ("locking a door") would mislead.
                let mut data = resolved[0].schema_data.clone();
                if resolved
                    .iter()
                    .any(|r| r.schema_data.description != data.description)
                {
                    data.description = None;
                }
                let mut merged = self.merge(&resolved, mode, &data);
                merged.schema_data.description = data.description;
                ReferenceOr::Item(Box::new(merged))
            }
            None => props[0].clone(),
        }
    }
}

/// The data of a merge: the description given, else the first part's;
/// nullable when any part is, deprecated when every part is.
fn merged_data(schemas: &[&Schema], data: &SchemaData) -> SchemaData {
    let mut schema_data = SchemaData {
        description: data.description.clone(),
        nullable: schemas.iter().any(|s| s.schema_data.nullable),
        deprecated: !schemas.is_empty() && schemas.iter().all(|s| s.schema_data.deprecated),
        ..SchemaData::default()
    };
    if schema_data.description.is_none() {
        schema_data.description = schemas
            .iter()
            .find_map(|s| s.schema_data.description.clone());
    }
    schema_data
}

/// String schemas merged: the values of every part when each is an enum,
/// and the format they all share.
fn merge_strings(schemas: &[&Schema]) -> SchemaKind {
    let enumeration = merged_values(schemas, |s| match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) if !t.enumeration.is_empty() => Some(&t.enumeration),
        _ => None,
    });
    let same_format = |format: &VariantOrUnknownOrEmpty<StringFormat>| {
        schemas.iter().all(
            |s| matches!(&s.schema_kind, SchemaKind::Type(Type::String(u)) if u.format == *format),
        )
    };
    let format = match &schemas[0].schema_kind {
        SchemaKind::Type(Type::String(t)) if same_format(&t.format) => t.format.clone(),
        _ => VariantOrUnknownOrEmpty::Empty,
    };
    SchemaKind::Type(Type::String(StringType {
        format,
        enumeration,
        ..Default::default()
    }))
}

/// Integer schemas merged: the values of every part when each is an enum,
/// in the first part's format.
fn merge_integers(schemas: &[&Schema]) -> SchemaKind {
    let enumeration = merged_values(schemas, |s| match &s.schema_kind {
        SchemaKind::Type(Type::Integer(t)) if !t.enumeration.is_empty() => Some(&t.enumeration),
        _ => None,
    });
    match &schemas[0].schema_kind {
        SchemaKind::Type(Type::Integer(t)) => {
            SchemaKind::Type(Type::Integer(openapiv3::IntegerType {
                format: t.format.clone(),
                enumeration,
                ..Default::default()
            }))
        }
        other => other.clone(),
    }
}

/// The values of every part, without repeats, when each part is an enum
/// (`values` reads a part's); else none, since a part that is no enum
/// admits any value of the type.
fn merged_values<'s, T: PartialEq + Clone + 's>(
    schemas: &[&'s Schema],
    values: impl Fn(&'s Schema) -> Option<&'s Vec<T>>,
) -> Vec<T> {
    let lists: Option<Vec<&Vec<T>>> = schemas.iter().map(|s| values(s)).collect();
    let mut merged = Vec::new();
    for value in lists.into_iter().flatten().flatten() {
        if !merged.contains(value) {
            merged.push(value.clone());
        }
    }
    merged
}
